package dev.sentemb.tokenizer;

/**
 * GPT-2's reversible byte-to-character alphabet: every byte gets a printable character so that
 * BPE vocabularies can be stored as text (space becomes 'Ġ', newline 'Ċ'). Printable Latin-1
 * bytes map to themselves; the other 68 map to U+0100 onwards in byte order.
 */
final class ByteLevel {
    private ByteLevel() {}

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[0x144];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a character of the alphabet stands for, or -1 when it is not in the alphabet. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    static boolean isSpelled(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (byteOf(token.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The token's text written in the byte alphabet (how HF keys a GGUF token that is not already). */
    static String spell(byte[] utf8) {
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            out[i] = charOf(utf8[i]);
        }
        return new String(out);
    }

    /**
     * The bytes a vocabulary entry stands for: the alphabet mapped back when every character is in
     * it, else the entry's own UTF-8 (HF's ByteLevel decoder does the same).
     */
    static byte[] bytesOf(String token) {
        if (!isSpelled(token)) {
            return token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        byte[] out = new byte[token.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) byteOf(token.charAt(i));
        }
        return out;
    }
}
