package dev.sentemb.engine;

import dev.sentemb.model.CachedPrefix;
import dev.sentemb.model.PassOptions;
import dev.sentemb.model.PromptStates;
import java.util.Objects;
import java.util.function.Function;

/**
 * One prepared input, as a strategy made it: the prompt's token ids, the cached prefix it continues
 * (its first tokens are then not computed again), the pass it needs (output layer, hook), and how its
 * states become a vector. Inputs that share a prefix and pass options can share a forward pass.
 *
 * @param tokens  the whole prompt's ids, the prefix's included
 * @param prefix  a cached prefix the prompt starts with (and outlasts by at least one token), or null
 * @param pass    what the pass returns; a prefix must have been cached with the same options
 * @param readout the prompt's states to its embedding; runs on the engine's thread
 * @param side    a vector the pass's hook reads for this prompt (a strategy's per-sentence input), or null
 */
public record EngineInput(int[] tokens, CachedPrefix prefix, PassOptions pass, Function<PromptStates, float[]> readout, float[] side) {
    public EngineInput(int[] tokens, CachedPrefix prefix, PassOptions pass, Function<PromptStates, float[]> readout) {
        this(tokens, prefix, pass, readout, null);
    }

    public EngineInput {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(pass, "pass");
        Objects.requireNonNull(readout, "readout");
        if (prefix != null && !prefix.isPrefixOf(tokens)) {
            throw new IllegalArgumentException("the prompt of " + tokens.length + " tokens does not continue the cached prefix of "
                    + prefix.length());
        }
        if (prefix != null && !prefix.pass().equals(pass)) {
            throw new IllegalArgumentException("the prefix was cached for " + prefix.pass() + ", the input needs " + pass);
        }
    }

    /** Tokens a pass computes for this input: those after the prefix. */
    public int computedTokens() {
        return tokens.length - (prefix == null ? 0 : prefix.length());
    }

    /** Whether the two can run in one pass: the same prefix (the same object) and equal pass options. */
    boolean sharesPassWith(EngineInput o) {
        return prefix == o.prefix && pass.equals(o.pass);
    }
}
