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
}
