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

    /** Releases the model's kernel threads (not the weights file, which the caller owns). */
    @Override
    void close();
}
