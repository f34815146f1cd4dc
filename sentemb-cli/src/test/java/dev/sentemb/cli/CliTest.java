package dev.sentemb.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.embed.Encoder;
import dev.sentemb.embed.Similarity;
import dev.sentemb.eval.Correlation;
import dev.sentemb.eval.sts.StsData;
import dev.sentemb.eval.sts.StsPair;
import dev.sentemb.testing.Npy;
import dev.sentemb.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on the real default model, as a user runs it. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String model;

    @TempDir
    Path dir;

    @BeforeAll
    static void model() {
        model = TestModels.require("smollm2-135m").toString();
    }


    @Test
    void embedWritesOneLinePerValidInputLineInOrderAndSkipsBadOnes() throws Exception {
        Path in = dir.resolve("in.txt");
        byte[] bad = {'b', 'a', 'd', (byte) 0xff, (byte) 0xfe, '\n'};
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("A man is playing a guitar.\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(bad);
        b.writeBytes("Ein Mann spielt Gitarre 🎸\r\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("A woman slices an onion.".getBytes(StandardCharsets.UTF_8)); // no final newline
        Files.write(in, b.toByteArray());
        Path out = dir.resolve("out.jsonl");
        CliRun r = CliRun.of("embed", "--model", model, "--input", in.toString(), "--output", out.toString());
        assertEquals(ExitCodes.SKIPPED_LINES, r.code(), r.err());
        assertTrue(r.err().contains("in.txt:2: not valid UTF-8"), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(4, lines.size());
        String[] texts = {"A man is playing a guitar.", "Ein Mann spielt Gitarre 🎸", "", "A woman slices an onion."};
        try (Encoder enc = Encoder.builder(model).build()) {
            for (int i = 0; i < 4; i++) {
                JsonNode n = JSON.readTree(lines.get(i));
                assertEquals(texts[i], n.get("text").asText());
                float[] v = new float[n.get("embedding").size()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = (float) n.get("embedding").get(k).asDouble();
                }
                assertEquals(576, v.length);
                assertTrue(Similarity.cosine(v, enc.embed(texts[i])) > 0.99999, "line " + i);
            }
        }
    }

    @Test
    void strictStopsAtTheBadLineAndWritesNothing() throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, "{\"text\": \"fine\"}\n{\"txt\": \"no text field\"}\n{\"text\": \"also fine\"}\n");
        Path out = dir.resolve("out.jsonl");
        CliRun r = CliRun.of("embed", "--model", model, "--input", in.toString(), "--output", out.toString(), "--strict");
        assertEquals(ExitCodes.FAILED, r.code());
        assertTrue(r.err().contains("in.jsonl:2"), r.err());
        assertFalse(Files.exists(out));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary files left behind");
        }
        CliRun lenient = CliRun.of("embed", "--model", model, "--input", in.toString(), "--output", out.toString());
        assertEquals(ExitCodes.SKIPPED_LINES, lenient.code());
        assertEquals(2, Files.readAllLines(out).size());
    }

    @Test
    void npyOutputHoldsRowsInInputOrder() throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "One.\nTwo.\nThree.\n");
        Path out = dir.resolve("v.npy");
        CliRun r = CliRun.of("embed", "--model", model, "--input", in.toString(), "--output", out.toString(), "--normalize", "--pooling", "mean");
        assertEquals(0, r.code(), r.err());
        float[][] m = Npy.readMatrix(Files.newInputStream(out));
        assertEquals(3, m.length);
        try (Encoder enc = Encoder.builder(model).normalize(true).pooling(dev.sentemb.strategy.Pooling.MEAN).build()) {
            float[][] v = enc.embed(List.of("One.", "Two.", "Three."));
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(v[i], m[i], 1e-6f);
            }
        }
    }

    @Test
    void tokenizePrintsThePromptIds() throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "A man is smoking\n");
        CliRun r = CliRun.of("tokenize", "--model", model, "--input", in.toString(), "--template", "icl:smoking");
        assertEquals(0, r.code(), r.err());
        JsonNode n = JSON.readTree(r.out().strip());
        assertEquals("A man is smoking", n.get("text").asText());
        try (Encoder enc = Encoder.builder(model).template("icl:smoking").build()) {
            int[] ids = enc.promptIds("A man is smoking");
            assertEquals(ids.length, n.get("ids").size());
            for (int i = 0; i < ids.length; i++) {
                assertEquals(ids[i], n.get("ids").get(i).asInt());
            }
        }
    }

    @Test
    void infoDescribesTheModel() {
        CliRun r = CliRun.of("info", "--model", model);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("architecture  llama"), r.out());
        assertTrue(r.out().contains("hidden size   576"), r.out());
        assertTrue(r.out().contains("Q4_1"), r.out());
        assertTrue(r.out().contains("pre-tokenizer smollm"), r.out());
    }

    @Test
    void usageErrorsAndMissingFilesHaveTheirExitCodes() {
        assertEquals(ExitCodes.USAGE, CliRun.of("embed", "--no-such-option").code());
        CliRun missing = CliRun.of("embed", "--model", model, "--input", dir.resolve("nope.txt").toString());
        assertEquals(ExitCodes.FAILED, missing.code());
        assertTrue(missing.err().contains("nope.txt"), missing.err());
        CliRun badModel = CliRun.of("info", "--model", dir.resolve("nope.gguf").toString());
        assertEquals(ExitCodes.FAILED, badModel.code());
        CliRun help = CliRun.of("--help");
        assertTrue(help.out().contains("Exit codes"), help.out());
    }

    /**
     * {@code eval} on the real model over the first 40 STS-B test pairs: a malformed line fails first, naming
     * file and line, with nothing written; a fresh run fills the cache, a run
     * cut short (half the cache kept, the last line torn) resumes from it with the same scores, and the
     * results count the seconds the earlier run spent on what was resumed.
     */
    @Test
    void evalResumesFromItsCacheWithTheSameScoresAndCountsEarlierTime() throws Exception {
        Path stsb = dir.resolve("senteval/STS/STSBenchmark");
        Files.createDirectories(stsb);
        List<String> pairs = Files.readAllLines(TestModels.shared().resolve("data/senteval/STS/STSBenchmark/sts-test.csv"), StandardCharsets.UTF_8);
        Files.write(stsb.resolve("sts-test.csv"), pairs.subList(0, 40), StandardCharsets.UTF_8);
        Path caches = dir.resolve("caches");
        String[] eval = {"eval", "--model", model, "--data", dir.resolve("senteval").toString(), "--tasks", "STSBenchmark", "--cache-dir", caches.toString(),
                "--output"};

        List<String> broken = new java.util.ArrayList<>(pairs.subList(0, 40));
        String[] cols = broken.get(6).split("\t");
        cols[4] = "five"; // the gold score column
        broken.set(6, String.join("\t", cols));
        Files.write(stsb.resolve("sts-test.csv"), broken, StandardCharsets.UTF_8);
        CliRun bad = CliRun.of(concat(eval, dir.resolve("bad.json").toString()));
        assertEquals(ExitCodes.FAILED, bad.code(), bad.err());
        assertTrue(bad.err().contains("sts-test.csv:7: gold score 'five' is not a number"), bad.err());
        assertFalse(Files.exists(dir.resolve("bad.json")), "no results file from a failed run");
        assertFalse(Files.exists(caches), "a bad data file fails before anything is embedded");
        Files.write(stsb.resolve("sts-test.csv"), pairs.subList(0, 40), StandardCharsets.UTF_8);

        CliRun fresh = CliRun.of(concat(eval, dir.resolve("fresh.json").toString()));
        assertEquals(0, fresh.code(), fresh.err());
        JsonNode first = JSON.readTree(dir.resolve("fresh.json").toFile());
        assertTrue(first.get("resumed").isNull(), first.toString());
        int sentences = first.get("sentences").asInt();
        assertTrue(sentences > 40 && sentences <= 80, "distinct sentences of 40 pairs: " + sentences);
        Path cache;
        try (var files = Files.list(caches)) {
            cache = files.findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(cache, StandardCharsets.UTF_8);
        assertEquals(sentences, lines.size());
        assertTrue(lines.get(0).contains("\"seconds\":"), lines.get(0).substring(0, 40));

        CliRun again = CliRun.of(concat(eval, dir.resolve("again.json").toString()));
        assertEquals(0, again.code(), again.err());
        JsonNode all = JSON.readTree(dir.resolve("again.json").toFile());
        assertEquals(sentences, all.get("resumed").get("count").asInt());
        assertEquals(0, all.get("resumed").get("untimed").asInt());
        assertTrue(all.get("resumed").get("seconds").asDouble() > 0, all.toString());
        assertEquals(first.get("sts"), all.get("sts"));

        int kept = sentences / 2;
        Files.writeString(cache, String.join("\n", lines.subList(0, kept)) + "\n" + lines.get(kept).substring(0, 30), StandardCharsets.UTF_8);
        CliRun resumed = CliRun.of(concat(eval, dir.resolve("resumed.json").toString()));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resuming with " + kept + " cached embeddings"), resumed.err());
        JsonNode part = JSON.readTree(dir.resolve("resumed.json").toFile());
        assertEquals(kept, part.get("resumed").get("count").asInt());
        assertEquals(first.get("sts"), part.get("sts"), "an interrupted run resumed scores as a fresh one");
        assertTrue(resumed.out().contains(" resumed)"), "the wall column counts the earlier run's part: " + resumed.out());
    }

    /**
     * {@code search-demos} on the real model: 4 real candidates over the first 30 STS-B dev pairs (rounds
     * 4×10, 2×20, 1×30); the winner's logged score is recomputed here by embedding with its template, and
     * an interrupted search resumes from its log to the same ranking, counting the earlier run's time.
     */
    @Test
    void searchDemosRanksRealCandidatesAndResumesFromItsLog() throws Exception {
        Path stsb = dir.resolve("senteval/STS/STSBenchmark");
        Files.createDirectories(stsb);
        Path shared = TestModels.shared().resolve("data");
        Files.write(stsb.resolve("sts-dev.csv"), Files.readAllLines(shared.resolve("senteval/STS/STSBenchmark/sts-dev.csv")).subList(0, 30));
        Path cands = dir.resolve("cands.txt");
        Files.write(cands, Files.readAllLines(shared.resolve("icl_examples.txt")).subList(0, 4));
        Path log = dir.resolve("log.tsv");
        String[] search = {"search-demos", "--model", model, "--data", dir.resolve("senteval").toString(), "--candidates", cands.toString(), "--budget", "10",
                "--eta", "2", "--log", log.toString(), "--no-store", "--output"};

        CliRun first = CliRun.of(concat(search, dir.resolve("rank1.tsv").toString()));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.err().contains("[4×10, 2×20, 1×30]"), first.err());
        List<String> rank = Files.readAllLines(dir.resolve("rank1.tsv"));
        assertEquals(4, rank.size());
        List<String> logged = Files.readAllLines(log);
        assertEquals(7, logged.size(), "4 + 2 + 1 scores");
        String[] best = rank.get(0).split("\t", 4);
        assertEquals("30", best[2]);
        List<StsPair> pairs = StsData.load(dir.resolve("senteval"), "STSBenchmark-dev").subsets().get(0).pairs();
        double[] sys = new double[pairs.size()], gold = new double[pairs.size()];
        try (Encoder enc = Encoder.builder(model).template(best[3]).build()) {
            for (int i = 0; i < pairs.size(); i++) {
                sys[i] = Similarity.cosine(enc.embed(pairs.get(i).a()), enc.embed(pairs.get(i).b()));
                gold[i] = pairs.get(i).gold();
            }
        }
        assertEquals(100 * Correlation.spearman(sys, gold), Double.parseDouble(best[1]), 0.01, "the winner's score, recomputed");

        Files.write(log, logged.subList(0, 5)); // the last two scores lost to an interruption
        CliRun resumed = CliRun.of(concat(search, dir.resolve("rank2.tsv").toString()));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resuming with 5 scores"), resumed.err());
        assertEquals(rank, Files.readAllLines(dir.resolve("rank2.tsv")));
        assertEquals(7, Files.readAllLines(log).size());
        assertTrue(resumed.out().contains("5 scores and "), "the earlier run's part is counted: " + resumed.out());

        // --exhaustive: every template of the file on all of the dev set, as the reference's multi-template evaluation scores them
        CliRun all = CliRun.of("search-demos", "--model", model, "--data", dir.resolve("senteval").toString(), "--candidates", cands.toString(),
                "--exhaustive", "--log", dir.resolve("log-all.tsv").toString(), "--no-store", "--output", dir.resolve("rank-all.tsv").toString());
        assertEquals(0, all.code(), all.err());
        List<String> every = Files.readAllLines(dir.resolve("rank-all.tsv"));
        assertEquals(4, every.size());
        try (Encoder enc = Encoder.builder(model).build()) {
            for (String line : every) {
                String[] f = line.split("\t", 4);
                assertEquals("30", f[2], "all 30 pairs: " + line);
                try (Encoder one = enc.withTemplate(dev.sentemb.prompt.Templates.resolve(f[3]))) {
                    for (int i = 0; i < pairs.size(); i++) {
                        sys[i] = Similarity.cosine(one.embed(pairs.get(i).a()), one.embed(pairs.get(i).b()));
                    }
                }
                assertEquals(100 * Correlation.spearman(sys, gold), Double.parseDouble(f[1]), 0.01, "each template's score, recomputed: " + f[3]);
            }
        }
        CliRun refused = CliRun.of("search-demos", "--model", model, "--templates", cands.toString(), "--candidates", cands.toString());
        assertEquals(ExitCodes.FAILED, refused.code());
        assertTrue(refused.err().contains("--template, --templates and --strategy do not apply to it"), refused.err());
    }

    private static String[] concat(String[] head, String last) {
        String[] all = java.util.Arrays.copyOf(head, head.length + 1);
        all[head.length] = last;
        return all;
    }

    @Test
    void demoPrintsACosineMatrix() {
        CliRun r = CliRun.of("demo", "--model", model);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("cosine"), r.out());
        assertTrue(r.out().contains("1.000"), r.out());
    }
}
