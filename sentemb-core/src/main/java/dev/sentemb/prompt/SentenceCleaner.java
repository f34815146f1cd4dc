package dev.sentemb.prompt;

/**
 * The reference implementation's clean-up of a sentence before it enters the template
 *. It changes the embedding measurably, so it is applied exactly, in order.
 */
public final class SentenceCleaner {
    private SentenceCleaner() {}

    public static String clean(String sentence) {
        String s = sentence;
        if (!s.isEmpty() && ".?\"'".indexOf(s.charAt(s.length() - 1)) < 0) {
            s = s + ".";
        }
        s = s.replace('"', '\'');
        if (!s.isEmpty() && s.charAt(s.length() - 1) == '?') {
            s = s.substring(0, s.length() - 1) + ".";
        }
        return s;
    }
}
