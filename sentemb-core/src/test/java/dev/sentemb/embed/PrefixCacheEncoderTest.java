package dev.sentemb.embed;

import dev.sentemb.strategy.Pooling;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.engine.PrefixCache;
import dev.sentemb.model.PassOptions;
import dev.sentemb.testing.TestModels;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shared-prefix cache changes no embedding: cached and uncached encoders agree on real STS-B
 * prompts, plain and with a demonstration, including prompts whose tokenization does not start with
 * the head's own tokens (BPE merges the head's last token with the sentence) and so take the fallback;
 * mean pooling too, which continues the prefix's cached sum of hidden states.
 */
class PrefixCacheEncoderTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"smollm2-135m, eol, last", "smollm2-135m, icl:smoking, last", "gemma3-270m, icl:smoking, last",
            "smollm2-135m, icl:smoking, mean"})
    void cachedEqualsUncached(String name, String template, String pooling) throws Exception {
        String model = TestModels.require(name).toString();
        List<String> lines = Files.readAllLines(TestModels.shared().resolve("data/senteval/STS/STSBenchmark/sts-test.csv"));
        List<String> sentences = new ArrayList<>(lines.stream().map(l -> l.split("\t")[5]).distinct().limit(40).toList());
        // sentences whose start BPE merges with the head's closing quote, a repeat, and an empty one
        sentences.addAll(List.of("\"Hello\" she said.", "'Tis the season.", "“Quoted” words.", sentences.get(3), ""));
        Pooling p = Pooling.parse(pooling);
        try (Encoder cached = Encoder.builder(model).template(template).pooling(p).build();
                Encoder whole = Encoder.builder(model).template(template).pooling(p).prefixCache(false).build()) {
            float[][] a = cached.embed(sentences);
            float[][] b = whole.embed(sentences);
            for (int i = 0; i < sentences.size(); i++) {
                double cos = Similarity.cosine(a[i], b[i]);
                assertTrue(cos >= 0.99999, "sentence " + i + " cos " + cos);
                assertArrayEquals(b[i], a[i], "sentence " + i + " (the cache is exact, not just close)");
            }
            Encoder.Stats s = cached.stats();
            Encoder.Stats w = whole.stats();
            assertEquals(w.tokensRepresented(), s.tokensRepresented());
            assertEquals(w.tokensRepresented() - tokensOfRepeats(whole, sentences), w.tokensComputed(), "uncached computes each distinct prompt once");
            assertTrue(s.tokensComputed() < w.tokensComputed(), "cached " + s + " vs uncached " + w);

            if (!name.startsWith("smollm2")) {
                return; // the BPE merge across the head's end is a byte-level BPE case
            }
            // the fallback was exercised: some prompt does not start with the head's full tokenization
            PrefixCache probe = new PrefixCache(null, cached.strategy().prefixCandidates(cached.tokenizer()), PassOptions.FINAL);
            int longestHead = probe.length(0);
            long notOnFullHead = sentences.stream().map(cached::promptIds)
                    .filter(ids -> probe.match(ids) != 0).count();
            assertTrue(notOnFullHead > 0, "no prompt took a shorter prefix or the fallback; head is " + longestHead + " tokens");
        }
    }

    private static long tokensOfRepeats(Encoder enc, List<String> sentences) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        long n = 0;
        for (String s : sentences) {
            if (!seen.add(enc.prompt(s))) n += enc.promptIds(s).length;
        }
        return n;
    }
}
