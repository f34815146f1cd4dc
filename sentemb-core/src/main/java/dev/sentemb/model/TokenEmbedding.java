package dev.sentemb.model;

import dev.sentemb.kernel.WeightMatrix;

/** The token embedding table [vocab × d] (GGUF token_embd: ggml dims {d, vocab}, one row per token). */
public record TokenEmbedding(WeightMatrix table) {

    public int dim() {
        return table.cols();
    }

    /** Returns x [T × d] with row t = table[tokens[t]]. */
    public float[] lookup(int[] tokens) {
        return lookup(tokens, null);
    }

    /**
     * The same, with the ids past the table's end naming {@code added} rows (id = table rows + i: tokens a strategy
     * adds to the vocabulary for one pass, as a resized embedding matrix would hold them); null: none.
     */
    public float[] lookup(int[] tokens, float[][] added) {
        int d = dim();
        int vocab = table.rows();
        float[] x = new float[tokens.length * d];
        for (int t = 0; t < tokens.length; t++) {
            if (tokens[t] >= vocab && added != null) {
                if (added[tokens[t] - vocab].length != d) {
                    throw new InvalidInputException("added token " + tokens[t] + " has an embedding row of " + added[tokens[t] - vocab].length
                            + " values; this model's embedding rows have " + d);
                }
                System.arraycopy(added[tokens[t] - vocab], 0, x, t * d, d);
            } else {
                table.decodeRows(tokens[t], 1, x, t * d);
            }
        }
        return x;
    }
}
