package dev.sentemb.tokenizer;

import dev.sentemb.testing.TestGgufWriter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link Tokenizers#fromGguf} reads from metadata, and how it refuses what it cannot build. */
class TokenizersTest {
    @TempDir
    Path tmp;

    /** A byte-level vocabulary: the 256 byte tokens, then "ab", "abc", then a control token. */
    private static TestGgufWriter tiny(String pre) {
        String[] tokens = new String[259];
        int[] types = new int[259];
        for (int b = 0; b < 256; b++) {
            tokens[b] = String.valueOf(ByteLevel.charOf(b));
            types[b] = TokenType.NORMAL;
        }
        tokens[256] = "ab";
        tokens[257] = "abc";
        tokens[258] = "<|eot|>";
        types[256] = TokenType.NORMAL;
        types[257] = TokenType.NORMAL;
        types[258] = TokenType.CONTROL;
        TestGgufWriter g = new TestGgufWriter().put("tokenizer.ggml.model", "gpt2").put("tokenizer.ggml.tokens", tokens)
                .put("tokenizer.ggml.token_type", types).put("tokenizer.ggml.merges", new String[] {"a b", "ab c"})
                .put("tokenizer.ggml.eos_token_id", 258);
        return pre == null ? g : g.put("tokenizer.ggml.pre", pre);
    }

    @Test
    void buildsFromMetadata() {
        Tokenizer tok = Tokenizers.fromGguf(tiny("qwen2").put("tokenizer.ggml.bos_token_id", 258)
                .put("tokenizer.ggml.add_bos_token", true).writeIn(tmp));
        // byte tokens sit at ids 0..255 in byte order, so 'x' has id 'x'
        assertArrayEquals(new int[] {258, 257, 'x', 258, 256}, tok.encode("abcx<|eot|>ab"));
        assertArrayEquals(new int[] {257}, tok.encode("abc", false));
        assertEquals(OptionalInt.of(258), tok.eosId());
        assertEquals(259, tok.vocabSize());
        assertEquals("abcx<|eot|>", tok.decode(tok.encode("abcx<|eot|>", false)));
    }

    @Test
    void missingPreAndFlagsMeanGpt2SplitAndNoSpecials() {
        Tokenizer tok = Tokenizers.fromGguf(tiny(null).writeIn(tmp));
        assertArrayEquals(new int[] {257, ' ', 257}, tok.encode("abc abc"));
        assertEquals(OptionalInt.empty(), tok.bosId());
    }

    @Test
    void realModelsAddNoBos() {
        Tokenizer smol = Fixtures.model("smollm2-135m");
        assertEquals(OptionalInt.of(1), smol.bosId());
        assertEquals(OptionalInt.of(2), smol.eosId());
        assertArrayEquals(smol.encode("Hello world", false), smol.encode("Hello world"));
        Tokenizer qwen = Fixtures.model("qwen2.5-coder-0.5b");
        assertEquals(OptionalInt.of(151643), qwen.bosId());
        assertEquals(OptionalInt.of(151645), qwen.eosId());
        assertArrayEquals(new int[] {9707, 1879}, qwen.encode("Hello world"));
        assertEquals("<|im_end|>", qwen.token(151645));
    }

    @Test
    void refusesWhatItCannotBuild() {
        TokenizerException pre = assertThrows(TokenizerException.class, () -> Tokenizers.fromGguf(tiny("falcon").writeIn(tmp)));
        assertTrue(pre.getMessage().contains("'falcon'") && pre.getMessage().contains("supported: gpt2"), pre.getMessage());
        TokenizerException sp = assertThrows(TokenizerException.class, () -> Tokenizers.fromGguf(
                new TestGgufWriter().put("tokenizer.ggml.model", "llama").writeIn(tmp)));
        assertTrue(sp.getMessage().contains("would need Llama's prefix-space rules"), sp.getMessage()); // only Gemma's SentencePiece rules are built
        TokenizerException none = assertThrows(TokenizerException.class, () -> Tokenizers.fromGguf(
                new TestGgufWriter().put("general.architecture", "llama").writeIn(tmp)));
        assertTrue(none.getMessage().contains("tokenizer.ggml.model is missing"), none.getMessage());
        TokenizerException merge = assertThrows(TokenizerException.class, () -> Tokenizers.fromGguf(
                tiny(null).put("tokenizer.ggml.merges", new String[] {"a b", "ab zz"}).writeIn(tmp)));
        assertTrue(merge.getMessage().contains("merge 1 uses 'zz'"), merge.getMessage());
    }
}
