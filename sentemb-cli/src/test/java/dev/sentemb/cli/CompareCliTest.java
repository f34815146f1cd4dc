package dev.sentemb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} on smollm2-135m over the first 40 STS-B test pairs: each cell is what {@code eval} gives with
 * that strategy (the caches are shared, so eval finds every sentence already embedded), in one JSON, Markdown
 * table and HTML report; an unknown strategy fails before anything runs.
 */
class CompareCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void eachCellIsWhatEvalGivesWithThatStrategy() throws Exception {
        String model = TestModels.require("smollm2-135m").toString();
        Path stsb = dir.resolve("senteval/STS/STSBenchmark");
        Files.createDirectories(stsb);
        List<String> pairs = Files.readAllLines(TestModels.shared().resolve("data/senteval/STS/STSBenchmark/sts-test.csv"), StandardCharsets.UTF_8);
        Files.write(stsb.resolve("sts-test.csv"), pairs.subList(0, 40), StandardCharsets.UTF_8);
        String data = dir.resolve("senteval").toString();
        String caches = dir.resolve("caches").toString();

        CliRun unknown = CliRun.of("compare", "--models", model, "--strategies", "prompteol,nope", "--data", data, "--tasks", "STSBenchmark");
        assertEquals(ExitCodes.FAILED, unknown.code());
        assertTrue(unknown.err().contains("unknown strategy 'nope'; known: prompteol, pretcot, ke"), unknown.err());

        CliRun c = CliRun.of("compare", "--models", model, "--strategies", "prompteol,pretcot,echo", "--data", data, "--tasks", "STSBenchmark",
                "--cache-dir", caches, "--output", dir.resolve("grid.json").toString(), "--markdown", dir.resolve("grid.md").toString(),
                "--report", dir.resolve("grid.html").toString());
        assertEquals(0, c.code(), c.err());
        JsonNode grid = JSON.readTree(dir.resolve("grid.json").toFile());
        assertEquals(3, grid.size());
        assertEquals("prompteol", grid.get(0).get("strategy").asText());
        assertEquals("pretcot", grid.get(1).get("strategy").asText());
        assertEquals("last@layer-2", grid.get(1).get("report").get("pooling").asText());
        assertEquals("echo", grid.get(2).get("strategy").asText());
        assertEquals("mean", grid.get(2).get("report").get("pooling").asText());
        assertNotEquals(grid.get(0).get("report").get("sts"), grid.get(1).get("report").get("sts"), "two strategies, two scores");
        assertNotEquals(grid.get(0).get("report").get("sts"), grid.get(2).get("report").get("sts"));

        for (int i = 0; i < 3; i++) {
            String strategy = grid.get(i).get("strategy").asText();
            CliRun e = CliRun.of("eval", "--model", model, "--strategy", strategy, "--data", data, "--tasks", "STSBenchmark",
                    "--cache-dir", caches, "--output", dir.resolve(strategy + ".json").toString());
            assertEquals(0, e.code(), e.err());
            JsonNode alone = JSON.readTree(dir.resolve(strategy + ".json").toFile());
            assertEquals(alone.get("sentences").asInt(), alone.get("resumed").get("count").asInt(), "eval finds compare's embeddings");
            assertEquals(alone.get("sts"), grid.get(i).get("report").get("sts"), strategy + ": the same scores as eval");
        }
        String md = Files.readString(dir.resolve("grid.md"));
        assertTrue(md.contains("| PromptEOL |") && md.contains("| PretCoT |") && md.contains("| Echo |"), md);
        assertTrue(md.contains("pretcot = Pretended Chain of Thought (Zhang et al. 2024)"), md);
        assertTrue(Files.readString(dir.resolve("grid.html")).contains("PretCoT"));
    }

    @Test
    void echoThroughEmbedAndTokenizeIsTheLibrarysAndRefusesPromptOptions() throws Exception {
        String model = TestModels.require("smollm2-135m").toString();
        Path in = Files.writeString(dir.resolve("in.txt"), "A man plays a guitar.\nA woman is slicing an onion.\n");
        CliRun e = CliRun.of("embed", "--model", model, "--strategy", "echo", "--input", in.toString(), "--output", dir.resolve("out.jsonl").toString());
        assertEquals(0, e.code(), e.err());
        List<String> rows = Files.readAllLines(dir.resolve("out.jsonl"));
        try (dev.sentemb.embed.Encoder enc = dev.sentemb.embed.Encoder.builder(model)
                .strategy(dev.sentemb.strategy.Strategies.require("echo").strategy()).build()) {
            float[][] want = enc.embed(List.of("A man plays a guitar.", "A woman is slicing an onion."));
            for (int i = 0; i < 2; i++) {
                JsonNode v = JSON.readTree(rows.get(i)).get("embedding");
                for (int k = 0; k < want[i].length; k++) {
                    assertEquals(want[i][k], v.get(k).floatValue(), 0f, "row " + i + " [" + k + "]");
                }
            }
            CliRun t = CliRun.of("tokenize", "--model", model, "--strategy", "echo", "--input", in.toString());
            assertEquals(0, t.code(), t.err());
            JsonNode ids = JSON.readTree(t.out().lines().findFirst().orElseThrow()).get("ids");
            int[] expect = enc.promptIds("A man plays a guitar.");
            assertEquals(expect.length, ids.size());
            for (int k = 0; k < expect.length; k++) {
                assertEquals(expect[k], ids.get(k).asInt());
            }
        }
        CliRun meta = CliRun.of("tokenize", "--model", model, "--strategy", "metaeol", "--input", in.toString());
        assertEquals(0, meta.code(), meta.err());
        assertEquals(8, JSON.readTree(meta.out().lines().findFirst().orElseThrow()).get("ids").size(), "one id list per MetaEOL prompt");
        CliRun bad = CliRun.of("embed", "--model", model, "--strategy", "echo", "--template", "eol", "--input", in.toString(),
                "--output", dir.resolve("bad.jsonl").toString());
        assertEquals(ExitCodes.FAILED, bad.code(), bad.err());
        assertTrue(bad.err().contains("--strategy echo sets its own prompt and read-out"), bad.err());
    }
}
