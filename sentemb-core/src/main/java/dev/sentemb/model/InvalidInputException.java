package dev.sentemb.model;

import dev.sentemb.SentembException;

/** A forward pass was given input it cannot run: no sequences, an empty sequence, a token id outside the vocabulary. */
public class InvalidInputException extends SentembException {
    public InvalidInputException(String message) {
        super(message);
    }
}
