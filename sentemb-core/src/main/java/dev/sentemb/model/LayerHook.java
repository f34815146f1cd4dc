package dev.sentemb.model;

/**
 * Called by a forward pass after each block, with the residual stream it will feed the next one: a
 * strategy may read any token's state or write it (the change flows into the later layers). Runs on
 * the pass's thread, between blocks; it must not keep the arrays past the call.
 *
 * <p>With a cached prefix the hook sees the prefix's rows when the prefix is computed (once) and each
 * sequence's own rows in later passes, never both together: a hook that combines rows of one sequence
 * must be used without a shared prefix.
 */
@FunctionalInterface
public interface LayerHook {
    /** @param layer 1 .. layers: the stream is {@code hidden_states[layer]} (after block layer − 1) */
    void afterLayer(int layer, LayerStates states);
}
