package dev.sentemb.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentemb.testing.HfFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tokenizers of HF directories give transformers' ids (tools/oracle/hf_fixtures.py) for every fixture prompt. */
class HfTokenizersTest {

    @ParameterizedTest
    @ValueSource(strings = {"opt", "opt-bin", "opt-proj", "llama", "qwen2", "gemma3", "llama-spm"})
    void idsEqualTransformers(String name) {
        HfFixture f = HfFixture.load(name);
        Tokenizer t = HfTokenizers.fromDirectory(f.dir());
        for (int i = 0; i < f.prompts().size(); i++) {
            assertArrayEquals(f.ids().get(i), t.encode(f.prompts().get(i)), name + " prompt " + i + ": " + f.prompts().get(i));
        }
        // OPT prepends </s> (id 2) as BOS; the llama-style fixtures use <s> (id 0) through tokenizer.json's template.
        assertEquals(name.startsWith("opt") ? 2 : name.equals("llama-spm") ? 1 : 0, t.encode("x")[0]);
    }

    /** LLaMA-1/2's SentencePiece model read from tokenizer.model (protobuf) and from the tokenizer.json transformers converts it to. */
    @Test
    void sentencePieceModelAndItsTokenizerJsonAgree() {
        HfFixture f = HfFixture.load("llama-spm");
        Tokenizer fast = HfTokenizers.fromDirectory(f.dir().resolve("fast"));
        for (int i = 0; i < f.prompts().size(); i++) {
            assertArrayEquals(f.ids().get(i), fast.encode(f.prompts().get(i)), "prompt " + i);
        }
        // byte fallback: characters the tiny vocabulary lacks become <0xXX> pieces
        assertEquals("<0xC3>", HfTokenizers.fromDirectory(f.dir()).token(HfTokenizers.fromDirectory(f.dir()).encode("é", false)[1]));
    }
}
