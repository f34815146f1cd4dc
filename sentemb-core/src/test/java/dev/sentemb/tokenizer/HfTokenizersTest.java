package dev.sentemb.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** A tokenizer.json with an NFC normalizer (as Qwen2's) composes "e" + U+0301 to "é" first. */
    @Test
    void nfcNormalizerIsApplied(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws java.io.IOException {
        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) om.readTree(HfFixture.dir("llama").resolve("tokenizer.json").toFile());
        root.putObject("normalizer").put("type", "NFC");
        om.writeValue(tmp.resolve("tokenizer.json").toFile(), root);
        Tokenizer nfc = HfTokenizers.fromDirectory(tmp);
        Tokenizer plain = HfTokenizers.fromDirectory(HfFixture.dir("llama"));
        assertArrayEquals(plain.encode("caf\u00e9"), nfc.encode("cafe\u0301"));
        assertTrue(!java.util.Arrays.equals(plain.encode("caf\u00e9"), plain.encode("cafe\u0301")));
    }
}
