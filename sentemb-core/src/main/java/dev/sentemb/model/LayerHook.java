package dev.sentemb.model;

/**
 * Called by a forward pass on the embeddings and after each block, with the residual stream it will feed the
 * next one: a strategy may read any token's state or write it (the change flows into the later layers), and
 * keep what it reads in the sequence's side vector ({@link LayerStates#setSide}), which the read-out sees. Runs
 * on the pass's thread, between blocks; it must not keep the arrays past the call.
 *
 * <p>With a cached prefix the hook sees the prefix's rows when the prefix is computed (once) and each
 * sequence's own rows in later passes, never both together: a hook that combines rows of one sequence
 * must only combine rows after the shared prefix ({@link LayerStates#position} tells where a row is).
 */
@FunctionalInterface
public interface LayerHook {
    /** @param layer 0 .. layers: the stream is {@code hidden_states[layer]} (0: the embeddings; else after block layer − 1) */
    void afterLayer(int layer, LayerStates states);

    /**
     * Inside block {@code layer} (0-based), the attention's heads concatenated, [T × heads·headDim], just before
     * the output projection (the input of Hugging Face's {@code o_proj} / OPT's {@code out_proj}); writes change
     * what the projection reads. By default nothing.
     */
    default void beforeOutputProjection(int layer, LayerStates heads) {}
}
