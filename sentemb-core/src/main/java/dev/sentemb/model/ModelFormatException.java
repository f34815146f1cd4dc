package dev.sentemb.model;

import dev.sentemb.SentembException;

/** A model file lacks something the architecture needs (a metadata key, a tensor) or has it in the wrong shape. */
public class ModelFormatException extends SentembException {
    public ModelFormatException(String message) {
        super(message);
    }
}
