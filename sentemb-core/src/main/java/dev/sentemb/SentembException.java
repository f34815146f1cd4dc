package dev.sentemb;

/**
 * Root of sentemb's typed errors. Unchecked so that library callers are not forced to wrap
 * every call, yet each subclass says precisely what went wrong and where (file, line, offset).
 */
public class SentembException extends RuntimeException {
    public SentembException(String message) {
        super(message);
    }

    public SentembException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A value from a file as an error message quotes it: at most 60 characters, then its length (a 3 MB key
     * stays readable), control characters shown as '?' (binary read as a name stays on one line).
     */
    public static String capped(Object value) {
        String s = String.valueOf(value);
        String shown = s.length() <= 60 ? s : s.substring(0, 60);
        shown = shown.replaceAll("[\\p{Cntrl}\\p{Cs}]", "?");
        return s.length() <= 60 ? shown : shown + "... (" + s.length() + " characters)";
    }
}
