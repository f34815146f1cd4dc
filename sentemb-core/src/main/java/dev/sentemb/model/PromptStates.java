package dev.sentemb.model;

/**
 * One prompt's hidden states after a pass, as a pooling strategy reads them: rows 0 .. length-1 of the
 * whole prompt, a cached prefix's included. The prefix's own rows were not kept (only their sum), so
 * {@link #row} serves the rows after it; {@link #mean} covers the whole prompt either way.
 */
public final class PromptStates {
    private final PackedHidden hidden;
    private final int sequence;
    private final CachedPrefix prefix;

    /** Sequence {@code sequence} of {@code hidden}, continuing {@code prefix} (null: none). */
    public PromptStates(PackedHidden hidden, int sequence, CachedPrefix prefix) {
        this.hidden = hidden;
        this.sequence = sequence;
        this.prefix = prefix;
    }

    /** Tokens in the whole prompt. */
    public int length() {
        return prefixLength() + hidden.length(sequence);
    }

    public int dim() {
        return hidden.dim();
    }

    /** Rows at the start that came from the cached prefix (0 without one). */
    public int prefixLength() {
        return prefix == null ? 0 : prefix.length();
    }

    /** A copy of the state of token {@code token} of the prompt; the prefix's rows are not available. */
    public float[] row(int token) {
        if (token < prefixLength()) {
            throw new IllegalArgumentException("token " + token + " lies in the cached prefix (" + prefixLength()
                    + " tokens), whose rows are not kept; read it without a shared prefix");
        }
        return hidden.row(sequence, token - prefixLength());
    }

    /** The side vector the pass's hook left for this prompt, or null. */
    public float[] side() {
        return hidden.side(sequence);
    }

    /** The last token's state: the PromptEOL embedding. */
    public float[] last() {
        return hidden.lastToken(sequence);
    }

    /** The mean of the whole prompt's states: a masked mean, since nothing is padded. */
    public float[] mean() {
        return prefix == null ? hidden.meanOf(sequence) : hidden.meanOf(sequence, prefix.hiddenSum(), prefix.length());
    }
}
