package dev.sentemb.strategy;

import java.util.Locale;

/** How a prompt's final hidden states become one vector. */
public enum Pooling {
    /** PromptEOL: the hidden state of the prompt's last token. */
    LAST,
    /**
     * The mean over the prompt's tokens (the reference's {@code --avg}). The reference divides by the
     * padded length; this is the correct mean over the prompt's own tokens.
     */
    MEAN;

    public static Pooling parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new dev.sentemb.SentembException("unknown pooling '" + s + "'; use last or mean");
        }
    }
}
