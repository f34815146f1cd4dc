package dev.sentemb.model;

/**
 * What one forward pass returns and who may look inside it: the hidden states of layer
 * {@code outputLayer} (Hugging Face's {@code hidden_states} index: 0 is the embeddings, L the residual
 * stream after L blocks, the model's layer count — or {@link #FINAL_LAYER} — the final norm's output,
 * {@code hidden_states[-1]}), and an optional hook called after every block. A negative index counts from
 * the end as Python's {@code hidden_states[i]} does: -2 is the residual stream before the last block (what
 * PretCoT and Knowledge Enhancement read). A pass that stops at an earlier layer computes only the blocks
 * before it.
 *
 * <p>A pass whose reader needs only each sequence's last token ({@code lastTokenOnly}: last-token pooling)
 * computes the last block it runs, after that block's attention, for those tokens alone: every token's keys
 * and values are still needed, its own output projection, MLP and norms are not. On the paper's read-out that
 * is most of one layer's work for every token but the last (the same bits for the tokens kept, since every
 * row is computed independently of the others). Its {@link PackedHidden} then holds the last rows only.
 *
 * <p>Equal options (the same hook and added-token objects) may share a pass and a cached prefix.
 *
 * @param outputLayer   0 .. layers, or -1 .. -(layers + 1) from the end ({@link #FINAL_LAYER}: the last)
 * @param hook          called after each block, or null
 * @param addedTokens   embedding rows of tokens added to the vocabulary for this pass (id = vocabulary size + i,
 *                      the way a resized embedding matrix holds them), or null
 * @param lastTokenOnly the pass's reader reads each sequence's last token alone (ignored with a hook, which may
 *                      read any row)
 */
public record PassOptions(int outputLayer, LayerHook hook, float[][] addedTokens, boolean lastTokenOnly) {
    public PassOptions(int outputLayer, LayerHook hook) {
        this(outputLayer, hook, null, false);
    }

    public PassOptions(int outputLayer, LayerHook hook, float[][] addedTokens) {
        this(outputLayer, hook, addedTokens, false);
    }

    /** The final norm's output, whatever the model's depth. */
    public static final int FINAL_LAYER = -1;
    /** The paper's read-out: {@code hidden_states[-1]}, no hook, every token's state. */
    public static final PassOptions FINAL = new PassOptions(FINAL_LAYER, null);
    /** The paper's read-out for last-token pooling: {@code hidden_states[-1]} of each sequence's last token. */
    public static final PassOptions FINAL_LAST_TOKEN = new PassOptions(FINAL_LAYER, null, null, true);

    public PassOptions {
        checkLayer(outputLayer);
    }

    /** {@code layer}: any index can name an output layer on some model; the model's depth is checked by {@link #resolve}. */
    public static int checkLayer(int layer) {
        if (layer < -MAX_LAYERS || layer > MAX_LAYERS) {
            throw new IllegalArgumentException("output layer " + layer + " is out of any model's range (-" + MAX_LAYERS + " .. " + MAX_LAYERS + ")");
        }
        return layer;
    }

    private static final int MAX_LAYERS = 1 << 16;

    /** The hidden states of layer {@code layer} (HF's hidden_states index), no hook. */
    public static PassOptions layer(int layer) {
        return new PassOptions(layer, null);
    }

    /** Layer {@code layer}'s state of each sequence's last token, no hook. */
    public static PassOptions lastToken(int layer) {
        return layer == FINAL_LAYER ? FINAL_LAST_TOKEN : new PassOptions(layer, null, null, true);
    }

    /** Whether a pass with these options may compute its last block for the last tokens alone. */
    boolean lastRowsOnly() {
        return lastTokenOnly && hook == null;
    }

    /** The output layer on a model of {@code layers} blocks (0 .. layers): layers for {@link #FINAL_LAYER}, layers + 1 + i for i < 0. */
    public int resolve(int layers) {
        int l = outputLayer < 0 ? layers + 1 + outputLayer : outputLayer;
        if (l < 0 || l > layers) {
            throw new InvalidInputException("output layer " + outputLayer + " on a model of " + layers + " layers (0 .. " + layers
                    + ", or -1 .. -" + (layers + 1) + " counted from the end)");
        }
        return l;
    }
}
