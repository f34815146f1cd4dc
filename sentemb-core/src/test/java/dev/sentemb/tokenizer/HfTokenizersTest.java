package dev.sentemb.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentemb.testing.HfFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tokenizers of HF directories give transformers' ids (tools/oracle/hf_fixtures.py) for every fixture prompt. */
class HfTokenizersTest {

    @ParameterizedTest
    @ValueSource(strings = {"opt", "opt-bin", "opt-proj", "llama", "qwen2"})
    void idsEqualTransformers(String name) {
        HfFixture f = HfFixture.load(name);
        Tokenizer t = HfTokenizers.fromDirectory(f.dir());
        for (int i = 0; i < f.prompts().size(); i++) {
            assertArrayEquals(f.ids().get(i), t.encode(f.prompts().get(i)), name + " prompt " + i + ": " + f.prompts().get(i));
        }
        // OPT prepends </s> (id 2) as BOS; the llama-style fixtures use <s> (id 0) through tokenizer.json's template.
        assertEquals(name.startsWith("opt") ? 2 : 0, t.encode("x")[0]);
    }
}
