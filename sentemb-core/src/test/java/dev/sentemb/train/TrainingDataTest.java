package dev.sentemb.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {
    @TempDir
    Path dir;

    @Test
    void readsSimcseCsvWithQuotedCommasAndReportsBadRowsByLine() throws Exception {
        Path f = dir.resolve("nli.csv");
        Files.writeString(f, """
                hard_neg,sent0,sent1
                "No , not this .","Two men , one tall .",Men stand .
                x,,only one sentence
                "Quoted ""word"" here",A dog runs .,An animal moves .
                """);
        List<String> skipped = new ArrayList<>();
        List<Triplet> t = TrainingData.read(f, false, skipped::add);
        assertEquals(2, t.size());
        assertEquals("Two men , one tall .", t.get(0).anchor());
        assertEquals("No , not this .", t.get(0).hardNegative());
        assertEquals("Quoted \"word\" here", t.get(1).hardNegative());
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).contains("nli.csv: line 3"), skipped.get(0));
        TrainingDataException e = assertThrows(TrainingDataException.class, () -> TrainingData.read(f, true, s -> {}));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void aTruncatedFileKeepsWhatCameBeforeAndSaysWhereItStopped() throws Exception {
        Path f = dir.resolve("cut.csv");
        Files.writeString(f, "sent0,sent1\na b,c d\n\"never closed,e f\n");
        List<String> skipped = new ArrayList<>();
        List<Triplet> t = TrainingData.read(f, false, skipped::add);
        assertEquals(1, t.size());
        assertTrue(skipped.stream().anyMatch(m -> m.contains("cut.csv: reading stopped at line")), skipped.toString());
        assertThrows(TrainingDataException.class, () -> TrainingData.read(f, true, m -> {}));
    }

    @Test
    void pairsWithoutAHardNegativeColumn() throws Exception {
        Path f = dir.resolve("pairs.csv");
        Files.writeString(f, "sent0,sent1\na b,c d\n");
        List<Triplet> t = TrainingData.read(f, false, s -> {});
        assertEquals(1, t.size());
        assertNull(t.get(0).hardNegative());
    }

    @Test
    void aHeaderWithoutTheColumnsIsNamed() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "premise,hypothesis\na,b\n");
        TrainingDataException e = assertThrows(TrainingDataException.class, () -> TrainingData.read(f, false, s -> {}));
        assertTrue(e.getMessage().contains("sent0 and sent1"), e.getMessage());
    }

    @Test
    void jsonlLinesAreCheckedOneByOne() throws Exception {
        Path f = dir.resolve("nli.jsonl");
        Files.writeString(f, """
                {"sent0": "a", "sent1": "b", "hard_neg": "c"}
                {"sent0": "a", "sent1": 5}
                not json

                {"sent0": "d", "sent1": "e"}
                [1, 2]
                """);
        List<String> skipped = new ArrayList<>();
        List<Triplet> t = TrainingData.read(f, false, skipped::add);
        assertEquals(2, t.size());
        assertEquals(5, t.get(1).line());
        assertEquals(3, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).contains("line 2") && skipped.get(0).contains("sent1 must be a string"), skipped.get(0));
        assertTrue(skipped.get(1).contains("line 3"), skipped.get(1));
        assertTrue(skipped.get(2).contains("line 6"), skipped.get(2));
    }

    @Test
    void aMissingOrEmptyFileIsAnError() throws Exception {
        assertThrows(TrainingDataException.class, () -> TrainingData.read(dir.resolve("none.csv"), false, s -> {}));
        Path f = dir.resolve("empty.csv");
        Files.writeString(f, "sent0,sent1\n");
        assertThrows(TrainingDataException.class, () -> TrainingData.read(f, false, s -> {}));
    }
}
