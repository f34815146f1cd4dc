package dev.sentemb.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.testing.OracleFixture;
import dev.sentemb.testing.OracleFixture.Item;
import dev.sentemb.testing.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * gemma3-270m end to end against transformers (fp32, GGUF dequantized): the 200 oracle sentences in
 * the plain template give HF's prompt, token ids (BOS included) and last-token embedding.
 */
class Gemma3OracleTest {
    private static final String MODEL = "gemma3-270m";

    @Test
    void plainPromptsMatchTransformers() throws Exception {
        List<Item> items = OracleFixture.items(MODEL, "plain.jsonl");
        float[][] hf = OracleFixture.matrix(MODEL, "plain.hf.last.npy");
        assertEquals(200, items.size());
        try (Encoder enc = Encoder.builder(TestModels.require(MODEL).toString()).template("eol").build()) {
            for (Item it : items) {
                assertEquals(it.prompt(), enc.prompt(it.text()), "prompt of " + it.text());
                assertArrayEquals(it.ids(), enc.promptIds(it.text()), "token ids of " + it.prompt());
                assertEquals(2, it.ids()[0], "BOS first");
            }
            float[][] got = enc.embed(items.stream().map(Item::text).toList());
            double min = 1;
            for (int i = 0; i < got.length; i++) {
                double c = Similarity.cosine(got[i], hf[i]);
                min = Math.min(min, c);
                assertTrue(c >= 0.9999, "#" + i + " cos vs transformers " + c + ": " + items.get(i).prompt());
            }
            System.out.printf("gemma3-270m plain: %d prompts, min cos vs transformers %.8f%n", got.length, min);
        }
    }
}
