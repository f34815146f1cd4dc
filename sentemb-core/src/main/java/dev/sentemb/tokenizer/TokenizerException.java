package dev.sentemb.tokenizer;

import dev.sentemb.SentembException;

/** A tokenizer that cannot be built from what a model file says (unknown pre-tokenizer, broken merges, ...). */
public class TokenizerException extends SentembException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code e} when its message already names {@code where}, else the same error prefixed with it (the file it was built from). */
    public static TokenizerException in(Object where, TokenizerException e) {
        String w = String.valueOf(where);
        if (String.valueOf(e.getMessage()).contains(w)) {
            return e;
        }
        return new TokenizerException(w + ": " + e.getMessage(), e);
    }
}
