package dev.sentemb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.testing.Npy;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --model DIR and --adapter DIR on the commands, with the tiny transformers fixtures of sentemb-core. */
class HfCliTest {
    private static final Path HF = Path.of("..", "sentemb-core", "src", "test", "resources", "hf").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void embedWithAnAdapterOnAnHfDirectory() throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "A man is playing a guitar.\n");
        Path outFile = dir.resolve("out.jsonl");
        for (boolean onTheFly : new boolean[] {true, false}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("embed", "--model", HF.resolve("llama").toString(),
                    "--adapter", HF.resolve("llama-lora").toString(), "--threads", "2", "--input", in.toString(), "--output", outFile.toString()));
            if (onTheFly) {
                args.add("--adapter-on-the-fly");
            }
            String[] r = run(args.toArray(String[]::new));
            assertEquals("0", r[0]);
            JsonNode line = new ObjectMapper().readTree(Files.readAllLines(outFile).getFirst());
            float[] v = new float[line.get("embedding").size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) line.get("embedding").get(i).asDouble();
            }
            float[] expect;
            try (InputStream s = Files.newInputStream(HF.resolve("llama-lora/last.npy"))) {
                expect = Npy.readMatrix(s)[0];
            }
            double ab = 0, aa = 0, bb = 0;
            for (int i = 0; i < v.length; i++) {
                ab += v[i] * expect[i];
                aa += v[i] * v[i];
                bb += expect[i] * expect[i];
            }
            assertTrue(ab / Math.sqrt(aa * bb) >= 0.99999, onTheFly ? "on the fly" : "merged");
        }
    }

    /**
     * The evaluation cache is keyed on the adapter as much as on the model file: an adapter run never resumes
     * from the plain model's vectors (it once did, and reported the plain model's scores), resumes from its own,
     * and merged and on-the-fly application keep separate caches.
     */
    @Test
    void evalWithAnAdapterNeverResumesFromThePlainModelsCache() throws Exception {
        Path stsb = dir.resolve("senteval/STS/STSBenchmark");
        Files.createDirectories(stsb);
        java.util.List<String> pairs = Files.readAllLines(dev.sentemb.testing.TestModels.shared().resolve("data/senteval/STS/STSBenchmark/sts-test.csv"),
                StandardCharsets.UTF_8);
        Files.write(stsb.resolve("sts-test.csv"), pairs.subList(0, 40), StandardCharsets.UTF_8);
        Path caches = dir.resolve("caches");
        java.util.function.BiFunction<String, String[], JsonNode> eval = (name, extra) -> {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("eval", "--model", HF.resolve("llama").toString(),
                    "--data", dir.resolve("senteval").toString(), "--tasks", "STSBenchmark", "--cache-dir", caches.toString(),
                    "--threads", "2", "--output", dir.resolve(name).toString()));
            args.addAll(java.util.List.of(extra));
            String[] r = run(args.toArray(String[]::new));
            assertEquals("0", r[0], name);
            try {
                return new ObjectMapper().readTree(dir.resolve(name).toFile());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        String lora = HF.resolve("llama-lora").toString();
        JsonNode plain = eval.apply("plain.json", new String[0]);
        JsonNode adapted = eval.apply("adapted.json", new String[] {"--adapter", lora});
        assertTrue(adapted.get("resumed").isNull(), "resumed the plain model's vectors: " + adapted.get("resumed"));
        assertTrue(!plain.get("sts").equals(adapted.get("sts")), "the adapter changes the scores: " + plain.get("sts"));
        JsonNode again = eval.apply("again.json", new String[] {"--adapter", lora});
        assertEquals(adapted.get("sentences").asInt(), again.get("resumed").get("count").asInt());
        assertEquals(adapted.get("sts"), again.get("sts"));
        eval.apply("fly.json", new String[] {"--adapter", lora, "--adapter-on-the-fly"});
        try (var files = Files.list(caches)) {
            assertEquals(3, files.count(), "plain, merged adapter, adapter on the fly");
        }
    }

    /** A demonstration search with an adapter keeps its own score log and does not become the plain model's icl:best. */
    @Test
    void searchDemosWithAnAdapterIsNotStoredAsThePlainModelsBest() throws Exception {
        Path stsb = dir.resolve("senteval/STS/STSBenchmark");
        Files.createDirectories(stsb);
        Path shared = dev.sentemb.testing.TestModels.shared().resolve("data");
        Files.write(stsb.resolve("sts-dev.csv"), Files.readAllLines(shared.resolve("senteval/STS/STSBenchmark/sts-dev.csv")).subList(0, 12));
        Path cands = dir.resolve("cands.txt");
        Files.write(cands, Files.readAllLines(shared.resolve("icl_examples.txt")).subList(0, 2));
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] r;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            r = run("search-demos", "--model", HF.resolve("llama").toString(), "--adapter", HF.resolve("llama-lora").toString(),
                    "--data", dir.resolve("senteval").toString(), "--candidates", cands.toString(), "--budget", "6", "--eta", "2",
                    "--log", dir.resolve("log.tsv").toString(), "--output", dir.resolve("rank.tsv").toString());
        } finally {
            System.setErr(oldErr);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals("0", r[0], e);
        assertTrue(e.contains("not stored as --template icl:best for " + HF.resolve("llama") + ": that is the plain model's, and this search ran with an adapter"), e);
        assertEquals(2, Files.readAllLines(dir.resolve("rank.tsv")).size());
    }

    @Test
    void tokenizeAndInfoOnAnOptDirectory() throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "hello\n");
        String[] r = run("tokenize", "--model", HF.resolve("opt").toString(), "--raw", "--input", in.toString());
        assertEquals("0", r[0]);
        assertEquals(2, new ObjectMapper().readTree(r[1].lines().findFirst().orElseThrow()).get("ids").get(0).asInt(), "OPT's </s> BOS");
        r = run("info", "--model", HF.resolve("opt-proj").toString());
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("opt") && r[1].contains("sharded safetensors"), r[1]);
    }

    @Test
    void benchOnAnHfDirectory() throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "A man is playing a guitar.\nTwo dogs run on the beach.\nThe stock market fell.\n");
        for (String callers : new String[] {"0", "3"}) {
            String[] r = run("bench", "--model", HF.resolve("opt-proj").toString(), "--template", "icl:smoking", "--threads", "2",
                    "--input", in.toString(), "--warmup", "1", "--callers", callers);
            assertEquals("0", r[0], r[1]);
            JsonNode j = new ObjectMapper().readTree(r[1].lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
            assertEquals(3, j.get("sentences").asInt());
            assertEquals(0, j.get("failed").asInt());
            assertTrue(j.get("model_file_mb").asDouble() > 0, "the directory's weight files are measured");
            assertTrue(j.get("tokens_computed").asLong() < j.get("tokens_represented").asLong(), "OPT continues the cached demonstration");
            assertTrue(j.get("kernels").asText().contains("-lane vectors"), j.get("kernels").asText());
            assertTrue(j.get("passes").asInt() >= 1, r[1]);
        }
    }

    @Test
    void benchRoundsAlternateOneCallAndTheCallersAndPackingIsReported() throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "A man is playing a guitar.\nTwo dogs run on the beach.\nThe stock market fell.\nA woman slices an onion.\n");
        String[] r = run("bench", "--model", HF.resolve("opt-proj").toString(), "--threads", "2", "--input", in.toString(),
                "--warmup", "1", "--callers", "3", "--rounds", "3");
        assertEquals("0", r[0], r[1]);
        JsonNode j = new ObjectMapper().readTree(r[1].lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertEquals(3, j.get("ratios").size());
        assertEquals(0, j.get("failed").asInt());
        for (int i = 0; i < 3; i++) {
            double one = j.get("one_call_sentences_per_s").get(i).asDouble(), many = j.get("callers_sentences_per_s").get(i).asDouble();
            assertTrue(one > 0 && many > 0, r[1]);
            assertEquals(many / one, j.get("ratios").get(i).asDouble(), 1e-9);
            assertEquals(i % 2 == 1, j.get("callers_first").get(i).asBoolean(), "ABBA order: " + r[1]);
        }
        // a dozen one-sentence passes are small ones: the automatic budget packs the model's projections
        assertTrue(j.get("packed_weights_mb").asDouble() > 0, r[1]);
        String[] off = run("bench", "--model", HF.resolve("opt-proj").toString(), "--input", in.toString(), "--warmup", "1",
                "--callers", "3", "--rounds", "2", "--packed-weights", "0");
        assertEquals(0.0, new ObjectMapper().readTree(off[1].lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
                .get("packed_weights_mb").asDouble(), off[1]);
        assertEquals("2", run("bench", "--input", in.toString(), "--rounds", "2")[0], "--rounds needs --callers");
        assertEquals("2", run("bench", "--input", in.toString(), "--packed-weights", "lots")[0]);
    }

    @Test
    void infoSystemSaysWhatTheCpuGives() {
        String[] r = run("info", "--system");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("jvm vectors") && r[1].contains("-bit preferred species") && r[1].contains("matmul tile"), r[1]);
        assertTrue(r[1].contains("cores         " + Runtime.getRuntime().availableProcessors()), r[1]);
    }
}
