package dev.sentemb.spark;

/** Which row texts are refused before the model sees them, and why. */
final class RowText {
    private RowText() {}

    /** Why {@code text} cannot be embedded, or null if it can (the model may still refuse it, e.g. over its context). */
    static String invalid(String text) {
        if (text == null) {
            return "the text is null (a missing field, or a malformed input line)";
        }
        if (text.isBlank()) {
            return text.isEmpty() ? "the text is empty" : "the text is only white space";
        }
        return null;
    }
}
