package dev.sentemb.eval.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.eval.DataFormatException;
import dev.sentemb.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StsDataTest {
    private static final Path DATA = TestModels.shared().resolve("data/senteval");

    @Test
    void pairCountsAreSentEvals() {
        Map<String, Integer> expect = Map.of("STS12", 3108, "STS13", 1500, "STS14", 3750, "STS15", 3000, "STS16", 1186,
                "STSBenchmark", 1379, "SICKRelatedness", 4927, "STSBenchmark-dev", 1500);
        expect.forEach((task, n) -> assertEquals(n, StsData.load(DATA, task).pairCount(), task));
    }

    @Test
    void sentencesAreJoinedAsSentEvalDoes() {
        StsTask sick = StsData.load(DATA, "SICKRelatedness");
        StsPair first = sick.subsets().get(0).pairs().get(0);
        assertEquals("There is no boy playing outdoors and there is no man smiling", first.a());
        assertEquals(3.3, first.gold(), 0);
        assertTrue(StsEvaluator.sentences(List.of(sick)).size() < 2 * 4927, "duplicates are embedded once");
    }

    @Test
    void malformedFilesNameFileAndLine(@TempDir Path dir) throws Exception {
        Path sts = Files.createDirectories(dir.resolve("STS/STSBenchmark"));
        Files.writeString(sts.resolve("sts-test.csv"), "g\tf\ty\t1\t2.5\ta b\tc d\ng\tf\ty\t2\tfive\ta\tb\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> StsData.load(dir, "STSBenchmark"));
        assertTrue(e.getMessage().endsWith("sts-test.csv:2: gold score 'five' is not a number"), e.getMessage());
        Files.writeString(sts.resolve("sts-test.csv"), "g\tf\ty\t1\t2.5\ta b\n");
        e = assertThrows(DataFormatException.class, () -> StsData.load(dir, "STSBenchmark"));
        assertTrue(e.getMessage().contains("sts-test.csv:1: expected at least 7"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> StsData.load(dir, "SICKRelatedness"));
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
    }

    @Test
    void scoresFollowTheCosines() {
        StsTask t = new StsTask("toy", List.of(new StsTask.Subset("a", List.of(
                new StsPair("x", "y", 5), new StsPair("x", "z", 1), new StsPair("y", "z", 3)))));
        Map<String, float[]> v = Map.of("x", new float[] {1, 0}, "y", new float[] {1, 0.1f}, "z", new float[] {0, 1});
        StsResult r = StsEvaluator.score(t, v);
        assertEquals(100.0, r.spearman(), 1e-9);
        assertEquals(3, r.pairs());
    }
}
