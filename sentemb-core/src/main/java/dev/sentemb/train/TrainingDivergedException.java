package dev.sentemb.train;

import dev.sentemb.SentembException;

/**
 * Training produced a non-finite value (an embedding, the loss or the gradient norm): the step is refused
 * before any parameter changes, and the message names the step (and sentence) where it appeared.
 */
public final class TrainingDivergedException extends SentembException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
