package dev.sentemb.train;

import dev.sentemb.SentembException;

/** A training data file that cannot be used: unreadable, no usable column, or a bad row under --strict. */
public final class TrainingDataException extends SentembException {
    public TrainingDataException(String message) {
        super(message);
    }

    public TrainingDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
