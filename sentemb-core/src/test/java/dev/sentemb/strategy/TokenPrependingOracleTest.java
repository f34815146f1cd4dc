package dev.sentemb.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.embed.Encoder;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.prompt.Templates;
import dev.sentemb.testing.HfFixture;
import dev.sentemb.testing.OracleFixture;
import dev.sentemb.testing.TestModels;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Token Prepending against the authors' method run in HF transformers (tools/oracle/tp_fixtures.py): the same
 * prompts and ids (the placeholder as the model's vocabulary size), the same placeholder row, and the same
 * embeddings (cosine ≥ 0.9999), with and without the shared-prefix cache, batch-invariant.
 */
class TokenPrependingOracleTest {
    @ParameterizedTest
    @CsvSource({"llama,plain,eol,", "llama,plain-0-2,eol,0:2@-2", "smollm2-135m,plain,eol,1:7@25", "smollm2-135m,pretcot,pretcot,"})
    void matchesTheAuthorsMethod(String model, String key, String template, String layers) throws Exception {
        String dir = "strategies/" + model;
        List<OracleFixture.Item> items = OracleFixture.items(dir, "tp-" + key + ".jsonl");
        float[][] want = OracleFixture.matrix(dir, "tp-" + key + ".last.npy");
        assertEquals(50, items.size());
        String path = model.equals("llama") ? HfFixture.dir("llama").toString() : TestModels.require(model).toString();
        TokenPrependingStrategy tp = new TokenPrependingStrategy(Templates.resolve(template),
                layers == null ? null : TokenPrependingStrategy.Layers.parse(layers));
        List<String> texts = items.stream().map(OracleFixture.Item::text).toList();
        float[][] first = null;
        for (boolean prefixCache : new boolean[] {true, false}) {
            try (Encoder enc = Encoder.builder(path).strategy(tp).prefixCache(prefixCache).build()) {
                float[][] got = enc.embed(texts);
                double worst = 1;
                for (int i = 0; i < items.size(); i++) {
                    assertEquals(items.get(i).prompt(), enc.prompt(texts.get(i)), "the authors' prompt");
                    assertArrayEquals(items.get(i).ids(), enc.promptIds(texts.get(i)), "the authors' tokens");
                    worst = Math.min(worst, HfFixture.cosine(got[i], want[i]));
                }
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(got[i], enc.embed(texts.get(i)), 0f, "batch-invariant: alone as in the batch");
                }
                if (first == null) {
                    first = got;
                } else {
                    for (int i = 0; i < got.length; i++) {
                        assertArrayEquals(first[i], got[i], 0f, "the shared prefix changes no bit");
                    }
                }
                System.out.printf("%s tp-%s (prefix cache %s, %s): worst cosine against the authors' method %.7f%n", model, key, prefixCache,
                        enc.strategy().describe(), worst);
                assertTrue(worst >= 0.9999, model + " tp-" + key + ": worst cosine " + worst);
            }
        }
    }

    @Test
    void thePlaceholderRowIsTorchsDraw() throws Exception {
        for (String model : new String[] {"llama", "smollm2-135m"}) {
            float[] want = OracleFixture.matrix("strategies/" + model, "placeholder.npy")[0];
            float[] got = TorchRandn.randn(TokenPrependingStrategy.SEED, want.length);
            double worst = 0;
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs(want[i] - got[i]));
            }
            // torch's AVX2 path evaluates log/sin/cos with float polynomials of its own: the last bits differ
            System.out.printf("%s placeholder: %d values, largest difference from torch's %.2e%n", model, want.length, worst);
            assertTrue(worst < 1e-5, model + ": " + worst);
            assertTrue(HfFixture.cosine(want, got) > 0.9999999, model);
        }
    }

    @Test
    void theLayersScaleWithDepthAndEveryReplacedLayerCounts() throws Exception {
        assertEquals(new TokenPrependingStrategy.Layers(1, 7, 27), TokenPrependingStrategy.Layers.scaled(32, true), "the authors' Llama-2-7B setting");
        assertEquals(new TokenPrependingStrategy.Layers(1, 7, -1), TokenPrependingStrategy.Layers.scaled(30, true), "no early exit but on 32 blocks");
        assertEquals(new TokenPrependingStrategy.Layers(1, 4, -2), TokenPrependingStrategy.Layers.scaled(18, false));
        assertEquals(new TokenPrependingStrategy.Layers(1, 7, 27), TokenPrependingStrategy.Layers.parse("1:7@27"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.sentemb.SentembException.class,
                () -> TokenPrependingStrategy.Layers.parse("1-7")).getMessage().contains("expected START:EXIT@OUTPUT"));
        String s = "a turtle is swimming in water .";
        try (Encoder enc = Encoder.builder(HfFixture.dir("llama").toString()).strategy(TokenPrependingStrategy.of(PromptTemplate.eol())).build()) {
            assertEquals("This sentence : <PST> \"a turtle is swimming in water .\" means in one word:\"", enc.prompt(s));
            assertTrue(enc.strategy().describe().contains("layers 1:2@-1"), enc.strategy().describe());
            assertEquals("tp1:2@-1", enc.strategy().boundSettings(), "what an eval cache keys on: the layers the model chose");
            try (Encoder mean = enc.withStrategy(new LayerMeanStrategy(TokenPrependingStrategy.of(PromptTemplate.eol()), 0, -1));
                 Encoder cp = enc.withStrategy(ContrastivePromptingStrategy.of(PromptTemplate.eol()));
                 Encoder plain = enc.withStrategy(PromptEolStrategy.of(PromptTemplate.eol()))) {
                assertEquals("tp1:2@-1mean0..2", mean.strategy().boundSettings());
                assertEquals("cp0x0.5@-1", cp.strategy().boundSettings());
                assertEquals("", plain.strategy().boundSettings());
            }
            try (Encoder fromEmbeddings = enc.withStrategy(new TokenPrependingStrategy(PromptTemplate.eol(), new TokenPrependingStrategy.Layers(0, 2, -1)))) {
                assertFalse(Arrays.equals(enc.embed(s), fromEmbeddings.embed(s)), "replacing the embeddings' row too changes the vector");
            }
            dev.sentemb.SentembException e = org.junit.jupiter.api.Assertions.assertThrows(dev.sentemb.SentembException.class,
                    () -> enc.withStrategy(new TokenPrependingStrategy(PromptTemplate.eol(), new TokenPrependingStrategy.Layers(5, 6, 2))));
            assertTrue(e.getMessage().contains("on a model of 2 blocks"), e.getMessage());
        }
    }
}
