package dev.sentemb.model;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.Rope;

/**
 * Grouped-query attention whose queries and keys are RMS-normalised per head before RoPE (Gemma 3).
 * The shape carries the score scale and, for local layers, the sliding window; the rope carries the
 * layer's base frequency.
 *
 * @param qNorm gain over one head (headDim wide), applied to every query head
 * @param kNorm the same for key heads
 */
public record QkNormAttention(Linear wq, Linear wk, Linear wv, Linear wo, RmsNorm qNorm, RmsNorm kNorm,
                              AttentionShape shape, Rope rope) {
    public QkNormAttention {
        if (qNorm.dim() != shape.headDim() || kNorm.dim() != shape.headDim()) {
            throw new ModelFormatException("q/k norm widths " + qNorm.dim() + "/" + kNorm.dim() + " differ from head dim " + shape.headDim());
        }
    }

    /** x: normalised input [T × d]; returns the attention block's output [T × d]. */
    public float[] forward(Kernels kernels, float[] x, PackedBatch batch) {
        int rows = batch.tokenCount();
        float[] q = wq.forward(kernels, x, rows); // [T × heads·headDim]
        float[] k = wk.forward(kernels, x, rows); // [T × kvHeads·headDim]
        float[] v = wv.forward(kernels, x, rows); // [T × kvHeads·headDim]
        // Each head is one row of headDim for the norm: [T·heads × headDim], in place.
        kernels.rmsNorm(q, rows * shape.heads(), qNorm.weight(), qNorm.eps(), q);
        kernels.rmsNorm(k, rows * shape.kvHeads(), kNorm.weight(), kNorm.eps(), k);
        kernels.rope(q, rows, shape.heads(), shape.headDim(), batch.positions(), rope);
        kernels.rope(k, rows, shape.kvHeads(), shape.headDim(), batch.positions(), rope);
        float[] context = new float[rows * shape.qWidth()];
        kernels.attention(q, k, v, batch.offsets(), shape, context);
        return wo.forward(kernels, context, rows);
    }
}
