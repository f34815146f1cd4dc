package dev.sentemb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        String data = fortyPairs();
        String caches = dir.resolve("caches").toString();

        CliRun unknown = CliRun.of("compare", "--models", model, "--strategies", "prompteol,nope", "--data", data, "--tasks", "STSBenchmark");
        assertEquals(ExitCodes.FAILED, unknown.code());
        assertTrue(unknown.err().contains("unknown strategy 'nope'; known: prompteol, pretcot, ke"), unknown.err());

        CliRun c = CliRun.of("compare", "--models", model, "--strategies", "prompteol,pretcot,echo,tp,cp", "--data", data, "--tasks", "STSBenchmark",
                "--cache-dir", caches, "--output", dir.resolve("grid.json").toString(), "--markdown", dir.resolve("grid.md").toString(),
                "--report", dir.resolve("grid.html").toString());
        assertEquals(0, c.code(), c.err());
        JsonNode grid = JSON.readTree(dir.resolve("grid.json").toFile());
        assertEquals(5, grid.size());
        assertEquals("prompteol", grid.get(0).get("strategy").asText());
        assertEquals("pretcot", grid.get(1).get("strategy").asText());
        assertEquals("last@layer-2", grid.get(1).get("report").get("pooling").asText());
        assertEquals("echo", grid.get(2).get("strategy").asText());
        assertEquals("mean", grid.get(2).get("report").get("pooling").asText());
        assertEquals("last@tp", grid.get(3).get("report").get("pooling").asText());
        assertEquals("last@cp", grid.get(4).get("report").get("pooling").asText());
        for (int i = 1; i < 5; i++) {
            assertNotEquals(grid.get(0).get("report").get("sts"), grid.get(i).get("report").get("sts"), "strategy " + i + ": its own scores");
        }
        assertNotEquals(grid.get(0).get("report").get("sts"), grid.get(1).get("report").get("sts"), "two strategies, two scores");
        assertNotEquals(grid.get(0).get("report").get("sts"), grid.get(2).get("report").get("sts"));

        for (int i = 0; i < 5; i++) {
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
        assertTrue(md.contains("| Token Prepending |") && md.contains("| Contrastive Prompting |"), md);
        assertTrue(md.contains("pretcot = Pretended Chain of Thought (Zhang et al. 2024)"), md);
        assertTrue(Files.readString(dir.resolve("grid.html")).contains("PretCoT"));

        // the grid read back by report, as when it ran in pieces: compare's cells, then one eval's
        CliRun rep = CliRun.of("report", dir.resolve("grid.json").toString(), dir.resolve("prompteol.json").toString(),
                "--markdown", dir.resolve("again.md").toString(), "--output", dir.resolve("again.html").toString());
        assertEquals(0, rep.code(), rep.err());
        String table = md.substring(0, md.indexOf("\nStrategies: "));
        String again = Files.readString(dir.resolve("again.md"));
        assertTrue(again.startsWith(table), "compare's table, row for row:\n" + table + "\n---\n" + again);
        assertEquals(6, again.lines().filter(l -> l.startsWith("| " + model + " |")).count(), again);
        assertTrue(Files.readString(dir.resolve("again.html")).contains("Contrastive Prompting"));
        // --cached-only: the cells the caches hold are scored as before, the others left out and nothing embedded
        long cacheFiles;
        try (var files = Files.list(Path.of(caches))) {
            cacheFiles = files.count();
        }
        CliRun cached = CliRun.of("compare", "--models", model, "--strategies", "ke,prompteol,metaeol", "--data", data, "--tasks", "STSBenchmark",
                "--cache-dir", caches, "--cached-only", "--output", dir.resolve("cached.json").toString());
        assertEquals(0, cached.code(), cached.err());
        JsonNode cachedGrid = JSON.readTree(dir.resolve("cached.json").toFile());
        assertEquals(1, cachedGrid.size(), cached.out());
        assertEquals(grid.get(0).get("report").get("sts"), cachedGrid.get(0).get("report").get("sts"));
        assertTrue(cached.out().contains("compare: ke × " + model + ": left out, "), cached.out());
        assertTrue(cached.out().matches("(?s).*compare: metaeol × .*: left out, [1-9][0-9]* of its sentences not in the cache \\(--cached-only\\).*"), cached.out());
        try (var files = Files.list(Path.of(caches))) {
            assertEquals(cacheFiles, files.count(), "nothing embedded, no cache begun");
        }
        // a cell partly cached (as an interrupted run leaves it) is scored on its cached tasks, the others named
        Path sick = Path.of(data).resolve("SICK");
        Files.createDirectories(sick);
        List<String> sickPairs = Files.readAllLines(TestModels.shared().resolve("data/senteval/SICK/SICK_test_annotated.txt"), StandardCharsets.UTF_8);
        Files.write(sick.resolve("SICK_test_annotated.txt"), sickPairs.subList(0, 21), StandardCharsets.UTF_8);
        CliRun partly = CliRun.of("compare", "--models", model, "--strategies", "prompteol,ke", "--data", data, "--tasks", "STSBenchmark,SICKRelatedness",
                "--cache-dir", caches, "--cached-only", "--output", dir.resolve("partly.json").toString(), "--markdown", dir.resolve("partly.md").toString(),
                "--report", dir.resolve("partly.html").toString());
        assertEquals(0, partly.code(), partly.err());
        JsonNode partGrid = JSON.readTree(dir.resolve("partly.json").toFile());
        assertEquals(1, partGrid.size(), partly.out());
        assertEquals(grid.get(0).get("report").get("sts"), partGrid.get(0).get("report").get("sts"), "STS-B scored as before, SICK-R not at all");
        assertTrue(partly.out().matches("(?s).*compare: prompteol × .*: SICKRelatedness left out, [1-9][0-9]* of their sentences not in the cache \\(--cached-only\\).*"),
                partly.out());
        assertTrue(partly.out().matches("(?s).*compare: ke × .*: left out, [1-9][0-9]* of its sentences not in the cache.*"), partly.out());
        String partMd = Files.readString(dir.resolve("partly.md"));
        assertTrue(partMd.contains("| PromptEOL |") && !partMd.contains("| Knowledge Enhancement |"), partMd);
        assertTrue(partMd.contains("| SICKRelatedness |") && partMd.matches("(?s).*\\| PromptEOL \\|[^\\n]*\\| – \\|.*"), "SICK-R shown as not scored: " + partMd);
        assertTrue(Files.readString(dir.resolve("partly.html")).contains("PromptEOL"));
        try (var files = Files.list(Path.of(caches))) {
            assertEquals(cacheFiles, files.count(), "still nothing embedded");
        }
        CliRun none = CliRun.of("compare", "--models", model, "--strategies", "ke", "--data", data, "--tasks", "STSBenchmark",
                "--cache-dir", caches, "--cached-only");
        assertEquals(ExitCodes.FAILED, none.code());
        assertTrue(none.err().contains("--cached-only: no task of any cell of the grid has all its sentences in the caches under " + caches), none.err());
        assertTrue(CompareCommand.notFetched("smollm2-135m", new dev.sentemb.load.ModelStore(dir.resolve("empty-store"))),
                "--cached-only leaves out a registry model it would have to fetch");
        assertFalse(CompareCommand.notFetched("smollm2-135m", new dev.sentemb.load.ModelStore(Path.of(model).getParent().getParent())));
        assertFalse(CompareCommand.notFetched(model, new dev.sentemb.load.ModelStore(dir.resolve("empty-store"))), "a path is never fetched");
        CliRun both = CliRun.of("compare", "--models", model, "--data", data, "--cached-only", "--no-cache");
        assertEquals(ExitCodes.FAILED, both.code());
        assertTrue(both.err().contains("--cached-only scores what the resume caches hold; --no-cache turns them off"), both.err());

        Path broken = Files.writeString(dir.resolve("broken.json"), "[" + grid.get(0) + ", {\"strategy\": \"pretcot\"}]");
        CliRun bad = CliRun.of("report", broken.toString());
        assertEquals(ExitCodes.FAILED, bad.code());
        assertTrue(bad.err().contains(broken + ": cell 2 of 2 has no \"report\" object"), bad.err());
    }

    /** A template file's ensemble through embed is the library's; compare's row for it is what eval --templates gives. */
    @Test
    void aTemplateFileThroughEmbedEvalAndCompareIsTheLibrarysEnsemble() throws Exception {
        String model = TestModels.require("smollm2-135m").toString();
        Path templates = Files.writeString(dir.resolve("two.txt"), "# PromptEOL, and after the reference's OPT-125m demonstration\neol\nicl:smoking\n");
        Path in = Files.writeString(dir.resolve("in.txt"), "A man plays a guitar.\nA woman is slicing an onion.\n");
        CliRun e = CliRun.of("embed", "--model", model, "--templates", templates.toString(), "--input", in.toString(),
                "--output", dir.resolve("out.jsonl").toString());
        assertEquals(0, e.code(), e.err());
        List<String> rows = Files.readAllLines(dir.resolve("out.jsonl"));
        var ensemble = dev.sentemb.strategy.EnsembleStrategy.ofTemplates("two", List.of(dev.sentemb.prompt.PromptTemplate.eol(),
                dev.sentemb.prompt.Templates.resolve("icl:smoking")), dev.sentemb.strategy.Pooling.LAST, dev.sentemb.model.PassOptions.FINAL_LAYER);
        try (dev.sentemb.embed.Encoder enc = dev.sentemb.embed.Encoder.builder(model).strategy(ensemble).build()) {
            float[][] want = enc.embed(List.of("A man plays a guitar.", "A woman is slicing an onion."));
            for (int i = 0; i < 2; i++) {
                JsonNode v = JSON.readTree(rows.get(i)).get("embedding");
                for (int k = 0; k < want[i].length; k++) {
                    assertEquals(want[i][k], v.get(k).floatValue(), 0f, "row " + i + " [" + k + "]");
                }
            }
        }

        String data = fortyPairs();
        String caches = dir.resolve("caches").toString();
        CliRun c = CliRun.of("compare", "--models", model, "--strategies", "prompteol", "--templates", templates.toString(), "--data", data,
                "--tasks", "STSBenchmark", "--cache-dir", caches, "--output", dir.resolve("grid.json").toString(), "--markdown",
                dir.resolve("grid.md").toString());
        assertEquals(0, c.code(), c.err());
        JsonNode grid = JSON.readTree(dir.resolve("grid.json").toFile());
        assertEquals(2, grid.size());
        assertEquals("templates:two.txt", grid.get(1).get("strategy").asText());
        assertNotEquals(grid.get(0).get("report").get("sts"), grid.get(1).get("report").get("sts"), "the ensemble's own scores");
        CliRun alone = CliRun.of("eval", "--model", model, "--templates", templates.toString(), "--data", data, "--tasks", "STSBenchmark",
                "--cache-dir", caches, "--output", dir.resolve("alone.json").toString());
        assertEquals(0, alone.code(), alone.err());
        JsonNode report = JSON.readTree(dir.resolve("alone.json").toFile());
        assertEquals(report.get("sentences").asInt(), report.get("resumed").get("count").asInt(), "eval finds compare's embeddings");
        assertEquals(report.get("sts"), grid.get(1).get("report").get("sts"), "the same scores as eval");
        String md = Files.readString(dir.resolve("grid.md"));
        assertTrue(md.contains("| mean of the templates in two.txt |") && md.contains("templates:two.txt = the mean of the embeddings"), md);

        Path bad = Files.writeString(dir.resolve("bad.txt"), "eol\nThis_sentence_means:\"\n");
        String[][] refused = {{"--templates", templates.toString(), "--template", "ke"}, {"--templates", templates.toString(), "--strategy", "tp"},
            {"--templates", bad.toString()}, {"--templates", dir.resolve("absent.txt").toString()}};
        String[] why = {"--templates is an ensemble of its own: it takes --pooling and --layer N, not --template", "not --strategy",
            bad + ":2: template 'This_sentence_means:\"' is neither", "absent.txt: template file not found"};
        assertRefused(model, in, refused, why);
        CliRun badCompare = CliRun.of("compare", "--models", model, "--strategies", "prompteol", "--templates", bad.toString(), "--data", data,
                "--tasks", "STSBenchmark", "--cache-dir", caches);
        assertEquals(ExitCodes.FAILED, badCompare.code());
        assertTrue(badCompare.err().contains(bad + ":2:") && !badCompare.out().contains("compare: prompteol"), "refused before any cell runs: "
                + badCompare.err());
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

    /** tp and cp over another template, settings and a layer mean through embed are the library's vectors; stray settings are refused. */
    @Test
    void hookedStrategiesAndLayerMeansThroughEmbedAreTheLibrarys() throws Exception {
        String model = TestModels.require("smollm2-135m").toString();
        Path in = Files.writeString(dir.resolve("in.txt"), "A man plays a guitar.\nA woman is slicing an onion.\n");
        List<String> sentences = List.of("A man plays a guitar.", "A woman is slicing an onion.");
        dev.sentemb.prompt.PromptTemplate ke = dev.sentemb.prompt.Templates.resolve("ke");
        Object[][] cases = {
            {new String[] {"--strategy", "tp", "--template", "ke", "--tp-layers", "1:5@-3"},
                new dev.sentemb.strategy.TokenPrependingStrategy(ke, new dev.sentemb.strategy.TokenPrependingStrategy.Layers(1, 5, -3))},
            {new String[] {"--strategy", "cp", "--cp-settings", "3x0.25@20"},
                new dev.sentemb.strategy.ContrastivePromptingStrategy(dev.sentemb.prompt.PromptTemplate.eol(),
                        dev.sentemb.prompt.PromptTemplate.of(dev.sentemb.strategy.ContrastivePromptingStrategy.IRRELEVANT),
                        new dev.sentemb.strategy.ContrastivePromptingStrategy.Settings(3, 0.25f, 20))},
            {new String[] {"--layer", "20:30"},
                new dev.sentemb.strategy.LayerMeanStrategy(dev.sentemb.strategy.PromptEolStrategy.of(dev.sentemb.prompt.PromptTemplate.eol()), 20, 30)},
            {new String[] {"--strategy", "tp", "--layer", "-8:-2"},
                new dev.sentemb.strategy.LayerMeanStrategy(dev.sentemb.strategy.TokenPrependingStrategy.of(dev.sentemb.prompt.PromptTemplate.eol()), -8, -2)},
        };
        for (Object[] c : cases) {
            String[] opts = (String[]) c[0];
            List<String> args = new java.util.ArrayList<>(List.of("embed", "--model", model, "--input", in.toString(), "--output",
                    dir.resolve("o.jsonl").toString()));
            args.addAll(List.of(opts));
            CliRun e = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, e.code(), String.join(" ", opts) + ": " + e.err());
            List<String> rows = Files.readAllLines(dir.resolve("o.jsonl"));
            try (dev.sentemb.embed.Encoder enc = dev.sentemb.embed.Encoder.builder(model).strategy((dev.sentemb.strategy.EmbeddingStrategy) c[1]).build()) {
                float[][] want = enc.embed(sentences);
                for (int i = 0; i < 2; i++) {
                    JsonNode v = JSON.readTree(rows.get(i)).get("embedding");
                    for (int k = 0; k < want[i].length; k++) {
                        assertEquals(want[i][k], v.get(k).floatValue(), 0f, String.join(" ", opts) + " row " + i + " [" + k + "]");
                    }
                }
            }
        }
        String[][] refused = {
            {"--tp-layers", "1:7@25"}, {"--strategy", "cp", "--layer", "3"}, {"--strategy", "cp", "--tp-layers", "1:7@25"},
            {"--strategy", "tp", "--tp-layers", "1-7"}, {"--layer", "x"}};
        String[] why = {"--tp-layers goes with --strategy tp", "cp takes --cp-settings", "--tp-layers goes with --strategy tp",
            "expected START:EXIT@OUTPUT", "expected a hidden_states index N or a range FROM:TO"};
        assertRefused(model, in, refused, why);
    }

    /** A SentEval data folder whose STS-B test set is its first 40 pairs. */
    private String fortyPairs() throws java.io.IOException {
        Path stsb = dir.resolve("senteval/STS/STSBenchmark");
        Files.createDirectories(stsb);
        List<String> pairs = Files.readAllLines(TestModels.shared().resolve("data/senteval/STS/STSBenchmark/sts-test.csv"), StandardCharsets.UTF_8);
        Files.write(stsb.resolve("sts-test.csv"), pairs.subList(0, 40), StandardCharsets.UTF_8);
        return dir.resolve("senteval").toString();
    }

    /** Each option set given to embed fails (exit 1) with its message. */
    private void assertRefused(String model, Path in, String[][] refused, String[] why) {
        for (int i = 0; i < refused.length; i++) {
            List<String> args = new java.util.ArrayList<>(List.of("embed", "--model", model, "--input", in.toString(), "--output",
                    dir.resolve("bad.jsonl").toString()));
            args.addAll(List.of(refused[i]));
            CliRun bad = CliRun.of(args.toArray(String[]::new));
            assertEquals(ExitCodes.FAILED, bad.code(), String.join(" ", refused[i]));
            assertTrue(bad.err().contains(why[i]), String.join(" ", refused[i]) + ": " + bad.err());
        }
    }
}
