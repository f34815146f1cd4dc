package dev.sentemb.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * SentEval's view of text: Python's {@code str.split()} on whitespace, joined back with single spaces
 * by the reference's batcher. Python's notion of whitespace is wider than Java's {@code \s}, so it is
 * spelled out here.
 */
public final class SentEvalText {
    private SentEvalText() {}

    /** Python's {@code str.isspace()} for one code point. */
    static boolean isPythonSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85 || (cp >= 0x1c && cp <= 0x1f);
    }

    public static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && isPythonSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            int start = i;
            while (i < n && !isPythonSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i > start) {
                words.add(s.substring(start, i));
            }
        }
        return words;
    }

    /** {@code ' '.join(s.split())}. */
    public static String join(String s) {
        return String.join(" ", split(s));
    }

    /** Python's {@code str.strip()} with no argument. */
    public static String strip(String s) {
        int a = 0, b = s.length();
        while (a < b && isPythonSpace(s.codePointAt(a))) {
            a += Character.charCount(s.codePointAt(a));
        }
        while (b > a && isPythonSpace(s.codePointBefore(b))) {
            b -= Character.charCount(s.codePointBefore(b));
        }
        return s.substring(a, b);
    }

    /** Python's {@code str.splitlines()}: the line breaks it knows, no trailing empty line. */
    public static List<String> splitlines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0, i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            boolean br = c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || (c >= 0x1c && c <= 0x1e) || c == 0x85 || c == 0x2028 || c == 0x2029;
            if (br) {
                out.add(s.substring(start, i));
                i += (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < n) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** The lines Python yields iterating a text file opened with universal newlines ({@code \n}, {@code \r\n}, {@code \r}). */
    public static List<String> fileLines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0, i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                out.add(s.substring(start, i));
                i += (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < n) {
            out.add(s.substring(start));
        }
        return out;
    }
}
