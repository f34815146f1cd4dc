package dev.sentemb.tokenizer;

import static dev.sentemb.tokenizer.CharClass.LETTER;
import static dev.sentemb.tokenizer.CharClass.NUMBER;
import static dev.sentemb.tokenizer.CharClass.OTHER;

/**
 * The split regex of Llama 3 and Qwen2, scanned by hand; they differ only in how many digits
 * make one piece (Qwen2 one, Llama 3 up to three):
 * <pre>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,D}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</pre>
 * Case-insensitive as Oniguruma folds: "'S", "'LL" and also "'ſ" (long s folds to s) are contractions.
 */
final class ModernSplitter implements PreTokenizer {
    static final ModernSplitter QWEN2 = new ModernSplitter(1);
    static final ModernSplitter LLAMA3 = new ModernSplitter(3);

    private final int maxDigits;

    private ModernSplitter(int maxDigits) {
        this.maxDigits = maxDigits;
    }

    @Override
    public void split(String text, int start, int end, PieceSink sink) {
        int i = start;
        while (i < end) {
            int j = next(text, i, end);
            sink.piece(text, i, j);
            i = j;
        }
    }

    private int next(String text, int i, int end) {
        char c = text.charAt(i);
        if (c == '\'' && i + 1 < end) {
            char a = fold(text.charAt(i + 1));
            if (a == 's' || a == 't' || a == 'm' || a == 'd') {
                return i + 2;
            }
            if (i + 2 < end) {
                char b = fold(text.charAt(i + 2));
                if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
                    return i + 3;
                }
            }
        }
        int cp = text.codePointAt(i);
        byte k = CharClass.of(cp);
        if (k == LETTER) {
            return Scan.run(text, i, end, LETTER);
        }
        if (k != NUMBER && !Scan.isNewline(c)) { // [^\r\n\p{L}\p{N}]?\p{L}+
            int n = i + Character.charCount(cp);
            if (n < end && CharClass.of(text.codePointAt(n)) == LETTER) {
                return Scan.run(text, n, end, LETTER);
            }
        }
        if (k == NUMBER) {
            int j = i;
            for (int d = 0; d < maxDigits && j < end; d++) {
                int dc = text.codePointAt(j);
                if (CharClass.of(dc) != NUMBER) {
                    break;
                }
                j += Character.charCount(dc);
            }
            return j;
        }
        if (c == ' ' && i + 1 < end && CharClass.of(text.codePointAt(i + 1)) == OTHER) {
            return newlines(text, Scan.run(text, i + 1, end, OTHER), end);
        }
        if (k == OTHER) {
            return newlines(text, Scan.run(text, i, end, OTHER), end);
        }
        // Whitespace. \s*[\r\n]+ takes the run up to and including its last \r or \n.
        int j = Scan.run(text, i, end, CharClass.SPACE);
        for (int m = j - 1; m >= i; m--) {
            if (Scan.isNewline(text.charAt(m))) {
                return m + 1;
            }
        }
        return Scan.spaces(text, i, end);
    }

    private static int newlines(String text, int j, int end) {
        while (j < end && Scan.isNewline(text.charAt(j))) {
            j++;
        }
        return j;
    }

    /** ASCII lower case, plus U+017F (long s) which Oniguruma's case folding maps to 's'. */
    private static char fold(char c) {
        if (c >= 'A' && c <= 'Z') {
            return (char) (c + 32);
        }
        return c == '\u017F' ? 's' : c;
    }
}
