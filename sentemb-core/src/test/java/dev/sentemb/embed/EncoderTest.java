package dev.sentemb.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.SentembException;
import dev.sentemb.testing.TestModels;
import dev.sentemb.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The public API on the real default model. */
class EncoderTest {
    private static Encoder enc;
    private static List<String> stsb;

    @BeforeAll
    static void load() throws Exception {
        enc = Encoder.builder(TestModels.require("smollm2-135m").toString()).build();
        // 64 distinct STS-B test sentences, in SentEval's form.
        List<String> lines = Files.readAllLines(TestModels.shared().resolve("data/senteval/STS/STSBenchmark/sts-test.csv"));
        stsb = lines.stream().map(l -> l.split("\t")[5]).distinct().limit(64).toList();
    }

    @AfterAll
    static void close() {
        enc.close();
    }

    @Test
    void threeLineApi() {
        float[][] v = enc.embed(List.of("A man is playing a guitar.", "Someone plays a guitar.", "The stock market fell."));
        assertEquals(3, v.length);
        assertEquals(576, v[0].length);
        assertTrue(Similarity.cosine(v[0], v[1]) > Similarity.cosine(v[0], v[2]));
    }

    @Test
    void aTemplateViewEqualsAFreshEncoderAndLeavesTheModelOpen() {
        List<String> some = stsb.subList(0, 8);
        float[][] viaView;
        try (Encoder view = enc.withTemplate(dev.sentemb.prompt.Templates.resolve("icl:smoking"))) {
            assertTrue(view.prompt("X").contains("A man is smoking."), view.prompt("X"));
            viaView = view.embed(some);
        }
        try (Encoder fresh = Encoder.builder(TestModels.require("smollm2-135m").toString()).template("icl:smoking").build()) {
            float[][] direct = fresh.embed(some);
            for (int i = 0; i < some.size(); i++) {
                assertArrayEquals(direct[i], viaView[i], "sentence " + i);
            }
        }
        // closing the view did not close the shared model
        assertEquals(576, enc.embed("Still open.").length);
    }

    @Test
    void aSentenceAloneEqualsItselfInABatchOf64() {
        float[][] batch = enc.embed(stsb);
        for (int i : new int[] {0, 17, 63}) {
            float[] alone = enc.embed(stsb.get(i));
            double c = Similarity.cosine(alone, batch[i]);
            assertTrue(c >= 0.99999, "sentence " + i + " alone vs in a batch of 64: cos " + c);
        }
    }

    @Test
    void batchCompositionDoesNotMatter() {
        List<String> reversed = new ArrayList<>(stsb);
        java.util.Collections.reverse(reversed);
        float[][] a = enc.embed(stsb.subList(0, 20));
        float[][] b = enc.embed(reversed);
        for (int i = 0; i < 20; i++) {
            assertTrue(Similarity.cosine(a[i], b[63 - i]) >= 0.99999);
        }
    }

    @Test
    void duplicatesAreComputedOnceAndReturnedForEach() {
        float[][] v = enc.embed(List.of("Same text.", "Other text.", "Same text."));
        assertArrayEquals(v[0], v[2]);
        assertFalse(v[0] == v[2], "each result is its own array");
    }

    @Test
    void normalizeGivesUnitVectors() {
        try (Encoder n = Encoder.builder(TestModels.require("smollm2-135m").toString()).normalize(true).build()) {
            float[] u = n.embed("A dog runs.");
            double norm = 0;
            for (float x : u) {
                norm += x * x;
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-5);
            assertTrue(Similarity.cosine(u, enc.embed("A dog runs.")) > 0.99999);
        }
    }

    @Test
    void oneBadSentenceDoesNotSinkTheOthers() {
        try (Encoder small = Encoder.builder(TestModels.require("smollm2-135m").toString()).maxPromptTokens(40).build()) {
            String tooLong = "word ".repeat(100);
            List<EmbedResult> r = small.embedEach(Arrays.asList("A cat.", tooLong, null, "A dog."), null);
            assertTrue(r.get(0).isOk());
            assertFalse(r.get(1).isOk());
            assertTrue(r.get(1).error().contains("tokens"), r.get(1).error());
            assertFalse(r.get(2).isOk());
            assertTrue(r.get(3).isOk());
            assertTrue(Similarity.cosine(r.get(3).vector(), enc.embed("A dog.")) > 0.99999);
            SentembException e = assertThrows(SentembException.class, () -> small.embed(List.of("ok", tooLong)));
            assertTrue(e.getMessage().startsWith("sentence 1"), e.getMessage());
        }
    }

    @Test
    void truncationCutsTheSentenceNeverTheTemplate() {
        try (Encoder small = Encoder.builder(TestModels.require("smollm2-135m").toString()).maxPromptTokens(40).truncate(true).build()) {
            assertEquals(40, small.maxPromptTokens());
            String tooLong = "A man is playing a guitar on the stage while the crowd sings along with him. ".repeat(6);
            List<EmbedResult> r = small.embedEach(Arrays.asList(tooLong, "A cat.", tooLong), null);
            assertTrue(r.get(0).isOk() && r.get(1).isOk() && r.get(2).isOk());
            assertEquals(1, small.stats().truncated());
            // the longest cut of the sentence's own tokens whose prompt fits, put back in the whole template
            Tokenizer tok = small.tokenizer();
            int[] ids = tok.encode(tooLong, false);
            String cut = null;
            for (int keep = ids.length; keep >= 0 && cut == null; keep--) {
                String c = tok.decode(Arrays.copyOf(ids, keep));
                if (small.promptIds(c).length <= 40) {
                    cut = c;
                }
            }
            assertTrue(cut.length() > 20 && cut.length() < tooLong.length(), cut);
            assertTrue(small.prompt(cut).endsWith("\" means in one word:\""), small.prompt(cut));
            assertArrayEquals(small.embed(cut), r.get(0).vector(), "the embedding is the cut sentence's");
            assertArrayEquals(r.get(0).vector(), r.get(2).vector());
            try (Encoder strict = Encoder.builder(TestModels.require("smollm2-135m").toString()).maxPromptTokens(40).build()) {
                EmbedResult refused = strict.embedEach(List.of(tooLong), null).get(0);
                assertFalse(refused.isOk());
                assertTrue(refused.error().contains("more than the limit of 40 (truncation is off)"), refused.error());
            }
            try (Encoder tiny = Encoder.builder(TestModels.require("smollm2-135m").toString()).maxPromptTokens(5).truncate(true).build()) {
                EmbedResult none = tiny.embedEach(List.of(tooLong), null).get(0);
                assertTrue(none.error().contains("the template is too long"), none.error());
            }
        }
    }

    @Test
    void concurrentCallersGetTheSameAnswers() throws Exception {
        float[][] expect = enc.embed(stsb.subList(0, 16));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(pool.submit(() -> enc.embed(stsb.subList(0, 16))));
            }
            for (Future<float[][]> f : fs) {
                float[][] got = f.get();
                for (int i = 0; i < 16; i++) {
                    assertNotNull(got[i]);
                    assertTrue(Similarity.cosine(expect[i], got[i]) >= 0.99999);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aLayerTheModelDoesNotHaveFailsWhenTheEncoderIsBuilt() {
        int layers = enc.config().layers();
        var e = assertThrows(dev.sentemb.model.InvalidInputException.class,
                () -> Encoder.builder(TestModels.require("smollm2-135m").toString()).layer(layers + 1).build());
        assertTrue(e.getMessage().contains("output layer " + (layers + 1)), e.getMessage());
        var below = assertThrows(dev.sentemb.model.InvalidInputException.class,
                () -> Encoder.builder(TestModels.require("smollm2-135m").toString()).layer(-(layers + 2)).build());
        assertTrue(below.getMessage().contains("counted from the end"), below.getMessage());
        try (Encoder early = Encoder.builder(TestModels.require("smollm2-135m").toString()).layer(layers).build()) {
            assertArrayEquals(enc.embed("A man plays a guitar."), early.embed("A man plays a guitar."), "layer n is the final layer");
        }
        try (Encoder fromEnd = Encoder.builder(TestModels.require("smollm2-135m").toString()).layer(-2).build();
             Encoder counted = Encoder.builder(TestModels.require("smollm2-135m").toString()).layer(layers - 1).build()) {
            assertArrayEquals(counted.embed("A man plays a guitar."), fromEnd.embed("A man plays a guitar."), "-2 is hidden_states[-2]");
        }
    }
}
