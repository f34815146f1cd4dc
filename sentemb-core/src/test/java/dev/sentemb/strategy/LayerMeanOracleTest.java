package dev.sentemb.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.SentembException;
import dev.sentemb.embed.Encoder;
import dev.sentemb.model.PassOptions;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.testing.HfFixture;
import dev.sentemb.testing.OracleFixture;
import dev.sentemb.testing.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mean of the last token's states over a range of layers, against HF transformers' hidden_states (tools/oracle/layer_mean_fixtures.py). */
class LayerMeanOracleTest {
    @ParameterizedTest
    @CsvSource({"llama,0,2", "smollm2-135m,20,30", "smollm2-135m,-8,-2"})
    void matchesTheMeanOfHiddenStates(String model, int from, int to) throws Exception {
        String dir = "strategies/" + model;
        String key = "layers-" + from + "_" + to;
        List<OracleFixture.Item> items = OracleFixture.items(dir, key + ".jsonl");
        float[][] want = OracleFixture.matrix(dir, key + ".last.npy");
        String path = model.equals("llama") ? HfFixture.dir("llama").toString() : TestModels.require(model).toString();
        LayerMeanStrategy mean = new LayerMeanStrategy(PromptEolStrategy.of(PromptTemplate.eol()), from, to);
        List<String> texts = items.stream().map(OracleFixture.Item::text).toList();
        try (Encoder enc = Encoder.builder(path).strategy(mean).build()) {
            float[][] got = enc.embed(texts);
            double worst = 1;
            for (int i = 0; i < items.size(); i++) {
                assertArrayEquals(items.get(i).ids(), enc.promptIds(texts.get(i)));
                worst = Math.min(worst, HfFixture.cosine(got[i], want[i]));
            }
            assertArrayEquals(got[4], enc.embed(texts.get(4)), 0f, "batch-invariant: alone as in the batch");
            System.out.printf("%s %s: worst cosine against HF's mean of hidden_states %.7f%n", model, enc.strategy().describe(), worst);
            assertTrue(worst >= 0.9999, model + " " + key + ": worst cosine " + worst);
        }
    }

    @Test
    void aOneLayerRangeIsThatLayerAndBadRangesAreRefused() throws Exception {
        String s = "a turtle is swimming in water .";
        try (Encoder one = Encoder.builder(HfFixture.dir("llama").toString())
                .strategy(new LayerMeanStrategy(PromptEolStrategy.of(PromptTemplate.eol()), 1, 1)).build();
             Encoder layer1 = one.withStrategy(new PromptEolStrategy(PromptTemplate.eol(), Pooling.LAST, 1));
             Encoder fin = one.withStrategy(new LayerMeanStrategy(PromptEolStrategy.of(PromptTemplate.eol()), -1, -1));
             Encoder plain = one.withStrategy(PromptEolStrategy.of(PromptTemplate.eol()))) {
            assertArrayEquals(layer1.embed(s), one.embed(s), 0f, "hidden_states[1..1] is hidden_states[1]");
            assertArrayEquals(plain.embed(s), fin.embed(s), 0f, "hidden_states[-1..-1] is the final output");
            assertTrue(assertThrows(SentembException.class, () -> one.withStrategy(new LayerMeanStrategy(PromptEolStrategy.of(PromptTemplate.eol()), 2, 1)))
                    .getMessage().contains("is empty"));
        }
        assertTrue(assertThrows(SentembException.class, () -> new LayerMeanStrategy(new PromptEolStrategy(PromptTemplate.eol(), Pooling.MEAN,
                PassOptions.FINAL_LAYER), 0, 1)).getMessage().contains("reads the last token"));
        assertTrue(assertThrows(SentembException.class, () -> LayerMeanStrategy.parse(PromptEolStrategy.of(PromptTemplate.eol()), "3"))
                .getMessage().contains("expected FROM:TO"));
        assertEquals(3, LayerMeanStrategy.parse(PromptEolStrategy.of(PromptTemplate.eol()), "3:5").from());
    }
}
