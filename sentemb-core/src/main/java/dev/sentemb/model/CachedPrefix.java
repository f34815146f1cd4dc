package dev.sentemb.model;

import dev.sentemb.kernel.KvPrefix;
import java.util.List;

/**
 * The state a model keeps for a shared prompt prefix (a template's head, a demonstration): its token
 * ids and, per layer, the keys (rotated) and values of those tokens. A batch run after it computes only
 * each sequence's remaining tokens, and gets bit for bit what running the whole prompt would give,
 * because causal attention makes the prefix's keys and values independent of anything after them.
 *
 * @param tokens    the prefix's ids; a sequence may follow it only if its full prompt starts with them
 * @param layers    one {@link KvPrefix} per block the pass runs, in order
 * @param hiddenSum the sum, in double and in row order, of the prefix's hidden states at the pass's
 *                  output layer (what mean pooling needs of the prefix)
 * @param pass      the options it was computed with; only a pass with the same options continues it
 */
public record CachedPrefix(int[] tokens, List<KvPrefix> layers, double[] hiddenSum, PassOptions pass) {
    public CachedPrefix {
        tokens = tokens.clone();
        layers = List.copyOf(layers);
        java.util.Objects.requireNonNull(hiddenSum, "hiddenSum");
        java.util.Objects.requireNonNull(pass, "pass");
    }

    public int length() {
        return tokens.length;
    }

    /** The prefix's keys and values for layer {@code layer}. */
    KvPrefix layer(int layer) {
        return layers.get(layer);
    }

    /** True when {@code ids} begin with this prefix and have at least one token after it. */
    public boolean isPrefixOf(int[] ids) {
        if (ids.length <= tokens.length) {
            return false;
        }
        return java.util.Arrays.equals(ids, 0, tokens.length, tokens, 0, tokens.length);
    }
}
