package dev.sentemb.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pre-tokenizer pieces on the corner cases, with expectations taken from HF tokenizers' own output. */
class SplitterTest {

    private static List<String> pieces(String pre, String text) {
        List<String> out = new ArrayList<>();
        PreTokenizer.forName(pre).split(text, 0, text.length(), (t, s, e) -> out.add(t.substring(s, e)));
        return out;
    }

    @Test
    void qwen2() {
        assertEquals(List.of("a", "'ſ", " x"), pieces("qwen2", "a'ſ x"));
        assertEquals(List.of("a", "'ſ", "t"), pieces("qwen2", "a'ſt"));
        assertEquals(List.of("I", "'LL", " don", "'T", " '", "S"), pieces("qwen2", "I'LL don'T 'S"));
        assertEquals(List.of("x", "\u00a0", "\u00a0y"), pieces("qwen2", "x\u00a0\u00a0y"));
        assertEquals(List.of("a", "\u001cb"), pieces("qwen2", "a\u001cb"));
        assertEquals(List.of("\u0085x"), pieces("qwen2", "\u0085x"));
        assertEquals(List.of("a", "  \n\n", " ", " b"), pieces("qwen2", "a  \n\n  b"));
        assertEquals(List.of("a", "\r\n", "\tb", " \t\n"), pieces("qwen2", "a\r\n\tb \t\n"));
        assertEquals(List.of("1", "2", "3", " ", "4"), pieces("qwen2", "123 4"));
        assertEquals(List.of(" \"", "A", " man", "\".\n", "😀👍🏽"), pieces("qwen2", " \"A man\".\n😀👍🏽"));
    }

    @Test
    void llama3GroupsDigitsByThree() {
        assertEquals(List.of("123", "456", "7", " x"), pieces("llama-bpe", "1234567 x"));
    }

    @Test
    void gpt2() {
        assertEquals(List.of("a", "'", "ſ", " x"), pieces("gpt2", "a'ſ x"));
        assertEquals(List.of("I", "'", "LL", " don", "'t", " '", "S"), pieces("gpt2", "I'LL don't 'S"));
        assertEquals(List.of("x", "\u00a0", "\u00a0", "y"), pieces("gpt2", "x\u00a0\u00a0y"));
        assertEquals(List.of("a", "  \n\n ", " b"), pieces("gpt2", "a  \n\n  b"));
        assertEquals(List.of("a", "\r\n", "\t", "b", " \t\n"), pieces("gpt2", "a\r\n\tb \t\n"));
        assertEquals(List.of(" 1234567", " x", "  "), pieces("gpt2", " 1234567 x  "));
        assertEquals(List.of(" \"", "A", "\"."), pieces("gpt2", " \"A\"."));
    }

    @Test
    void namesAndErrors() {
        assertSame(PreTokenizer.forName("gpt2"), PreTokenizer.forName(null));
        assertSame(PreTokenizer.forName("gpt2"), PreTokenizer.forName("smollm"));
        TokenizerException e = assertThrows(TokenizerException.class, () -> PreTokenizer.forName("deepseek-coder"));
        assertTrue(e.getMessage().contains("deepseek-coder") && e.getMessage().contains("qwen2, llama-bpe"), e.getMessage());
    }
}
