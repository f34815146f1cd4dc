package dev.sentemb.model;

/**
 * What one forward pass returns and who may look inside it: the hidden states of layer
 * {@code outputLayer} (Hugging Face's {@code hidden_states} index: 0 is the embeddings, L the residual
 * stream after L blocks, the model's layer count — or {@link #FINAL_LAYER} — the final norm's output,
 * {@code hidden_states[-1]}), and an optional hook called after every block. A pass that stops at an
 * earlier layer computes only the blocks before it.
 *
 * @param outputLayer {@link #FINAL_LAYER} or 0 .. layers
 * @param hook        called after each block, or null
 */
public record PassOptions(int outputLayer, LayerHook hook) {
    /** The final norm's output, whatever the model's depth. */
    public static final int FINAL_LAYER = -1;
    /** The paper's read-out: {@code hidden_states[-1]}, no hook. */
    public static final PassOptions FINAL = new PassOptions(FINAL_LAYER, null);

    public PassOptions {
        checkLayer(outputLayer);
    }

    /** {@code layer} if it can name an output layer ({@link #FINAL_LAYER} or ≥ 0); the model's depth is checked by {@link #resolve}. */
    public static int checkLayer(int layer) {
        if (layer < FINAL_LAYER) {
            throw new IllegalArgumentException("output layer must be " + FINAL_LAYER + " (final) or 0 .. layers, got " + layer);
        }
        return layer;
    }

    /** The hidden states of layer {@code layer} (HF's hidden_states index), no hook. */
    public static PassOptions layer(int layer) {
        return new PassOptions(layer, null);
    }

    /** The output layer on a model of {@code layers} blocks: layers for {@link #FINAL_LAYER}. */
    public int resolve(int layers) {
        if (outputLayer > layers) {
            throw new InvalidInputException("output layer " + outputLayer + " on a model of " + layers + " layers (0 .. " + layers + ")");
        }
        return outputLayer == FINAL_LAYER ? layers : outputLayer;
    }
}
