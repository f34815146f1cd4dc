package dev.sentemb.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gemma's SentencePiece-style tokenizer: what ParityTest does not cover (decoding like HF, round
 * trips, the rules it relies on) on the real gemma3-270m vocabulary, and the rules themselves on a
 * tiny hand-made vocabulary where the expected ids can be worked out by hand.
 */
class SentencePieceTokenizerTest {
    private static final String MODEL = "gemma3-270m";

    @Test
    void decodesLikeHfOnTheHardSet() {
        Tokenizer tok = Fixtures.model(MODEL);
        int checked = 0;
        for (Fixtures.Case c : Fixtures.read(MODEL)) {
            if (c.decoded() != null) {
                assertEquals(c.decoded(), tok.decode(c.ids()), () -> "decode of " + ParityTest.quote(c.text()));
                checked++;
            }
        }
        assertTrue(checked > 80, "hard cases: " + checked);
    }

    /** decode(encode(x)) == x wherever HF round-trips too (its decoded text is "<bos>" + x). */
    @Test
    void decodeInvertsEncodeWhereHfDoes() {
        Tokenizer tok = Fixtures.model(MODEL);
        int checked = 0;
        for (Fixtures.Case c : Fixtures.read(MODEL)) {
            if (c.decoded() != null && c.decoded().equals("<bos>" + c.text())) {
                assertEquals(c.text(), tok.decode(tok.encode(c.text(), false)), () -> "round trip of " + ParityTest.quote(c.text()));
                checked++;
            }
        }
        assertTrue(checked > 60, "round-tripped " + checked);
    }

    @Test
    void gemmaSpecialsFromMetadata() {
        Tokenizer tok = Fixtures.model(MODEL);
        assertEquals(262144, tok.vocabSize());
        assertEquals(2, tok.bosId().orElseThrow());
        assertEquals(1, tok.eosId().orElseThrow());
        assertEquals(2, tok.encode("")[0]);
        assertEquals("<start_of_turn>", tok.token(105));
        assertEquals("  ", tok.token(138)); // as the file spells it, although it matches U+2581 U+2581
    }

    // ---- a tiny vocabulary: merge ranks follow file order, not scores

    private static final List<String> TINY = List.of(
            "<pad>", "<eos>", "<bos>", "<unk>", "\n", "  ",
            "a", "b", "c", "\u2581", "ab", "bc", "abc", "\u2581a", "<0xC3>", "<0xA9>", "<0x0A>");

    private static SentencePieceTokenizer tiny() {
        int[] types = new int[TINY.size()];
        Arrays.fill(types, TokenType.NORMAL);
        types[0] = types[1] = types[2] = types[3] = TokenType.CONTROL;
        types[4] = types[5] = TokenType.USER_DEFINED;
        for (int i = 14; i < 17; i++) {
            types[i] = TokenType.BYTE;
        }
        return new SentencePieceTokenizer(TINY.toArray(String[]::new), types, 2, 1, 3, true, false);
    }

    private static int id(String t) {
        return TINY.indexOf(t);
    }

    @Test
    void earlierTokenMergesFirst() {
        // "ab" (id 10) comes before "bc" (11), so a·b merges first and "c" stays: [ab, c] -> abc.
        assertArrayEquals(new int[] {2, id("abc")}, tiny().encode("abc"));
        // a·b (rank of id 10) beats ▁·a (id 13) in "ab▁ab".
        assertArrayEquals(new int[] {id("ab"), id("\u2581"), id("ab")}, tiny().encode("ab ab", false));
    }

    @Test
    void spacesBecomeMarksAndRunsOfSpacesAreNotAddedTokens() {
        // "  " (user-defined) is re-spelled U+2581 U+2581: reached by merging marks, not matched in raw text.
        assertArrayEquals(new int[] {id("  "), id("\u2581a")}, tiny().encode("   a", false));
        assertEquals("   a", tiny().decode(tiny().encode("   a", false)));
    }

    @Test
    void byteFallbackAndUnknown() {
        SentencePieceTokenizer t = tiny();
        assertArrayEquals(new int[] {id("a"), id("<0xC3>"), id("<0xA9>")}, t.encode("aé", false));
        assertEquals("aé", t.decode(t.encode("aé", false)));
        // 'x' has neither a token nor all its byte tokens: one <unk> for a run of them.
        assertArrayEquals(new int[] {id("<unk>"), id("a"), id("<unk>")}, t.encode("xxaxyx", false));
        assertEquals("\uFFFD", t.decode(new int[] {id("<0xC3>")}));
    }

    @Test
    void controlAndUserDefinedTokensMatchWhole() {
        assertArrayEquals(new int[] {2, id("a"), id("<eos>"), id("\n"), id("b")}, tiny().encode("a<eos>\nb"));
    }

    @Test
    void nonGemmaSentencePieceIsRefusedClearly() {
        try (var file = dev.sentemb.weights.GgufFile.open(dev.sentemb.testing.TestModels.require("smollm2-135m"))) {
            TokenizerException e = assertThrows(TokenizerException.class, () -> SentencePieceTokenizer.fromGguf(file));
            assertTrue(e.getMessage().contains("'llama' would need"), e.getMessage());
        }
    }
}
