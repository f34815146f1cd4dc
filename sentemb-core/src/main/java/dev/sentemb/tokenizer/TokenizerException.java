package dev.sentemb.tokenizer;

import dev.sentemb.SentembException;

/** A tokenizer that cannot be built from what a model file says (unknown pre-tokenizer, broken merges, ...). */
public class TokenizerException extends SentembException {
    public TokenizerException(String message) {
        super(message);
    }
}
