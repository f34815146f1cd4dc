package dev.sentemb.model;

import java.util.List;

/**
 * A decoder-only transformer used as an encoder: token ids in, hidden states out (no LM head).
 * Implementations are immutable after loading and every method is thread-safe. A model borrows its
 * kernels (and their thread pool) from whoever loaded it; closing it releases only what it owns.
 */
public interface TransformerModel extends AutoCloseable {

    ModelConfig config();

    /** Width of the final hidden states (OPT with project_out: narrower than the model). */
    default int outputDim() {
        return config().dim();
    }

    /**
     * Runs all sequences as one packed batch (no padding; each sequence attends only to its own earlier
     * tokens; positions restart at 0, or continue {@code prefix}) and returns every token's hidden state
     * at the pass's output layer. With a prefix (built by {@link #prefill} with the same options) each
     * sequence is the continuation of it, and only the sequences' own rows come back: equal, bit for
     * bit, to running prefix + sequence whole and dropping the prefix's rows.
     *
     * @param prefix a cached prefix every sequence continues, or null
     * @throws InvalidInputException for no sequences, an empty sequence or an id outside the vocabulary
     */
    default PackedHidden forward(List<int[]> sequences, CachedPrefix prefix, PassOptions pass) {
        return forward(sequences, prefix, pass, null);
    }

    /**
     * {@link #forward(List, CachedPrefix, PassOptions)} with a side vector per sequence (null, or one entry per
     * sequence, entries may be null) that the pass's hook reads and writes; they come back in
     * {@link PackedHidden#sides()}.
     */
    PackedHidden forward(List<int[]> sequences, CachedPrefix prefix, PassOptions pass, float[][] sides);

    /**
     * Runs a shared prompt prefix once and keeps what later passes with the same options need to
     * continue it: its keys and values per layer, and the sum of its hidden states (mean pooling).
     */
    CachedPrefix prefill(int[] tokens, PassOptions pass);

    /** Final-norm hidden states ({@code hidden_states[-1]}) of a packed batch. */
    default PackedHidden forward(List<int[]> sequences) {
        return forward(sequences, null, PassOptions.FINAL);
    }

    /** Final-norm hidden states of each suffix continuing {@code prefix}. */
    default PackedHidden forward(List<int[]> suffixes, CachedPrefix prefix) {
        return forward(suffixes, prefix, PassOptions.FINAL);
    }

    /** {@link #prefill(int[], PassOptions)} for the final layer. */
    default CachedPrefix prefill(int[] tokens) {
        return prefill(tokens, PassOptions.FINAL);
    }

    /**
     * The model's training passes (forward keeping activations, backward into LoRA gradients), when its
     * architecture has them: every decoder stack sentemb loads (llama, qwen2, Gemma 3, OPT) does.
     */
    default java.util.Optional<Differentiable> differentiable() {
        return java.util.Optional.empty();
    }

    /** Bytes of the blocks' projection weights kept decoded in the matmul's panel layout (see {@code --packed-weights}). */
    default long packedWeightBytes() {
        return 0;
    }

    /** Releases what the model owns (kernels created for it alone); never the caller's pool or weights file. */
    @Override
    void close();
}
