package dev.sentemb.eval.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.eval.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingFileTest {
    @Test
    void strictReadNamesTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("e.jsonl");
        Files.writeString(f, "{\"text\":\"a b\",\"embedding\":[1,2.5]}\n{\"text\":\"c\",\"embedding\":[1]}\n");
        var e = assertThrows(DataFormatException.class, () -> EmbeddingFile.read(f));
        assertTrue(e.getMessage().contains("e.jsonl:2"), e.getMessage());
        Files.writeString(f, "{\"text\":\"a b\",\"embedding\":[1,2.5]}\n{\"text\":\"c\",\"embed");
        assertTrue(assertThrows(DataFormatException.class, () -> EmbeddingFile.read(f)).getMessage().contains(":2"));
    }

    @Test
    void cacheResumesPastATornLine(@TempDir Path dir) throws Exception {
        EmbeddingCache c = new EmbeddingCache(dir.resolve("c.jsonl"));
        c.append(Map.of("one", new float[] {1f, 0.1f}), 0.5);
        Files.writeString(c.file(), "{\"text\":\"two\",\"embe", java.nio.file.StandardOpenOption.APPEND); // interrupted mid-line
        assertEquals(1, c.load().size());
        c.append(Map.of("three", new float[] {3f, 0.3f}), 0.25);
        EmbeddingCache.Contents m = c.load();
        assertEquals(2, m.size());
        assertArrayEquals(new float[] {3f, 0.3f}, m.take("three"));
        assertArrayEquals(new float[] {1f, 0.1f}, m.take("one"));
        assertEquals(new ResumedWork(2, 0.75, 0), m.resumed());
    }

    @Test
    void resumedWorkCountsOnlyWhatIsTakenAndNotesUntimedLines(@TempDir Path dir) throws Exception {
        EmbeddingCache c = new EmbeddingCache(dir.resolve("c.jsonl"));
        // a cache written before times were recorded, then a timed chunk of two sentences
        Files.writeString(c.file(), "{\"text\":\"old\",\"embedding\":[1,2]}\n");
        java.util.Map<String, float[]> chunk = new java.util.LinkedHashMap<>();
        chunk.put("a", new float[] {1, 1});
        chunk.put("b", new float[] {2, 2});
        c.append(chunk, 3.0);
        EmbeddingCache.Contents m = c.load();
        assertEquals(null, m.resumed(), "nothing taken yet");
        assertEquals(null, m.take("never embedded"));
        m.take("a");
        m.take("old");
        assertEquals(new ResumedWork(2, 1.5, 1), m.resumed());
        assertEquals(null, EmbeddingCache.Contents.none().resumed());
        assertEquals(3, EmbeddingFile.read(c.file()).size(), "a cache with times is still a valid embed file for --embeddings");
    }
}
