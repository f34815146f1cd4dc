package dev.sentemb.model;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.Rope;

/**
 * Causal self-attention with grouped-query heads and rotary positions: project to q/k/v (optional
 * biases, as qwen2 has), rotate q and k by position, attend within each packed sequence, project back.
 *
 * <p>Extension point for the shared-prefix KV cache: k and v are computed here, per layer, from the
 * batch's rows only. A cached prefix adds its (already rotated) k/v for this layer in front of each
 * sequence's own and shifts the sequence's positions by the prefix length; nothing else in the layer
 * changes, since every other block works row by row.
 */
public record GroupedQueryAttention(Linear wq, Linear wk, Linear wv, Linear wo, AttentionShape shape, Rope rope) {

    /** x: normalised input [T × d]; returns the attention block's output [T × d]. */
    public float[] forward(Kernels kernels, float[] x, PackedBatch batch) {
        int rows = batch.tokenCount();
        float[] q = wq.forward(kernels, x, rows); // [T × heads·headDim]
        float[] k = wk.forward(kernels, x, rows); // [T × kvHeads·headDim]
        float[] v = wv.forward(kernels, x, rows); // [T × kvHeads·headDim]
        kernels.rope(q, rows, shape.heads(), shape.headDim(), batch.positions(), rope);
        kernels.rope(k, rows, shape.kvHeads(), shape.headDim(), batch.positions(), rope);
        float[] context = new float[rows * shape.qWidth()]; // [T × heads·headDim]
        kernels.attention(q, k, v, batch.offsets(), shape, context);
        return wo.forward(kernels, context, rows); // [T × d]
    }
}
