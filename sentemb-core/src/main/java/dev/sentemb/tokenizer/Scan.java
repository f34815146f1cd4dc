package dev.sentemb.tokenizer;

/** Scanning steps the split regexes share, on code points (so emoji and other non-BMP text count once). */
final class Scan {
    private Scan() {}

    /** End of the run of class {@code k} starting at {@code i}. */
    static int run(String text, int i, int end, byte k) {
        while (i < end) {
            int cp = text.codePointAt(i);
            if (CharClass.of(cp) != k) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /**
     * {@code \s+(?!\S)|\s+} at a whitespace character: the whole run when it ends the text or is one
     * character long, else the run less its last character (which then prefixes the next word).
     * Whitespace is all in the BMP, so stepping back one char is stepping back one code point.
     */
    static int spaces(String text, int i, int end) {
        int j = run(text, i, end, CharClass.SPACE);
        return j < end && j - i >= 2 ? j - 1 : j;
    }

    static boolean isNewline(char c) {
        return c == '\r' || c == '\n';
    }
}
