package dev.sentemb.model;

import dev.sentemb.SentembException;

/** A model file lacks something the architecture needs (a metadata key, a tensor) or has it in the wrong shape. */
public class ModelFormatException extends SentembException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code e} as it is when its message already names {@code where} (or it is a subclass, which names its
     * place itself), else the same error prefixed with {@code where}: a shape check deep in an architecture
     * does not know which file the tensor came from, its loader does.
     */
    public static ModelFormatException in(Object where, ModelFormatException e) {
        String w = String.valueOf(where);
        if (e.getClass() != ModelFormatException.class || String.valueOf(e.getMessage()).contains(w)) {
            return e;
        }
        return new ModelFormatException(w + ": " + e.getMessage(), e);
    }
}
