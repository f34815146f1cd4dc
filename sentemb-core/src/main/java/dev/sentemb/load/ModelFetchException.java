package dev.sentemb.load;

import dev.sentemb.SentembException;

/** A model could not be found, downloaded or verified; the message says what to do. */
public final class ModelFetchException extends SentembException {
    public ModelFetchException(String message) {
        super(message);
    }

    public ModelFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
