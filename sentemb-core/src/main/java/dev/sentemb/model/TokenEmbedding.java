package dev.sentemb.model;

import dev.sentemb.kernel.WeightMatrix;

/** The token embedding table [vocab × d] (GGUF token_embd: ggml dims {d, vocab}, one row per token). */
public record TokenEmbedding(WeightMatrix table) {

    public int dim() {
        return table.cols();
    }

    /** Returns x [T × d] with row t = table[tokens[t]]. */
    public float[] lookup(int[] tokens) {
        int d = dim();
        float[] x = new float[tokens.length * d];
        for (int t = 0; t < tokens.length; t++) {
            table.decodeRows(tokens[t], 1, x, t * d);
        }
        return x;
    }
}
