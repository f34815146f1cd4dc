package dev.sentemb.model;

import java.util.List;

/**
 * A decoder-only transformer used as an encoder: token ids in, final-norm hidden states out (no
 * LM head). Implementations are immutable after loading and {@link #forward} is thread-safe.
 */
public interface TransformerModel extends AutoCloseable {

    ModelConfig config();

    /** Width of the hidden states {@link #forward} returns (OPT with project_out: narrower than the model). */
    default int outputDim() {
        return config().dim();
    }

    /**
     * Runs all sequences as one packed batch (no padding; each sequence attends only to its own
     * earlier tokens; positions restart at 0) and returns every token's final-norm hidden state.
     *
     * @throws InvalidInputException for no sequences, an empty sequence or an id outside the vocabulary
     */
    PackedHidden forward(List<int[]> sequences);

    /**
     * Runs a shared prompt prefix once and keeps what later batches need to continue it: its keys and
     * values per layer, and the sum of its hidden states (mean pooling). This default keeps only the ids
     * and the sum, and {@link #forward(List, CachedPrefix)} then recomputes the prefix: correct, not
     * faster. Models that cache keys and values override both.
     */
    default CachedPrefix prefill(int[] tokens) {
        return new CachedPrefix(tokens, List.of(), forward(List.of(tokens)).sumOf(0, null));
    }

    /**
     * Runs each of {@code suffixes} as the continuation of {@code prefix} (whole prompt = prefix ids +
     * suffix) and returns the hidden states of the suffix tokens only; equal to running the whole
     * prompts with {@link #forward(List)} and dropping the prefix rows.
     */
    default PackedHidden forward(List<int[]> suffixes, CachedPrefix prefix) {
        List<int[]> whole = new java.util.ArrayList<>(suffixes.size());
        for (int[] s : suffixes) {
            int[] ids = java.util.Arrays.copyOf(prefix.tokens(), prefix.length() + s.length);
            System.arraycopy(s, 0, ids, prefix.length(), s.length);
            whole.add(ids);
        }
        return forward(whole).dropLeading(prefix.length());
    }

    /** Releases the model's kernel threads (not the weights file, which the caller owns). */
    @Override
    void close();
}
