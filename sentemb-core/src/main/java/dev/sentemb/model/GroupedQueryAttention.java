package dev.sentemb.model;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import dev.sentemb.kernel.Rope;
import java.util.List;

/**
 * Causal self-attention with grouped-query heads and rotary positions: project to q/k/v (optional
 * biases, as qwen2 has), rotate q and k by position, attend within each packed sequence (after the
 * batch's cached prefix, if any), project back.
 */
public record GroupedQueryAttention(Linear wq, Linear wk, Linear wv, Linear wo, AttentionShape shape, Rope rope) {

    /** x: normalised input [T × d]; returns the attention block's output [T × d]. */
    public float[] forward(Kernels kernels, float[] x, PackedBatch batch) {
        return forward(kernels, x, batch, 0, null, new Workspace());
    }

    /**
     * As above for layer {@code layer} of the model, in the pass's workspace (the result is its PROJECTED
     * buffer): attends to the batch's cached prefix for that layer first, and when {@code keep} is not
     * null appends this batch's rotated keys and values to it (how a prefix's cache is built; they then
     * get arrays of their own).
     */
    float[] forward(Kernels kernels, float[] x, PackedBatch batch, int layer, List<KvPrefix> keep, Workspace ws) {
        int rows = batch.tokenCount();
        int kvSize = rows * shape.kvWidth();
        float[] q = wq.forward(kernels, x, rows, ws.get(Workspace.Buffer.Q, rows * shape.qWidth())); // [T × heads·headDim]
        float[] k = wk.forward(kernels, x, rows, keep != null ? new float[kvSize] : ws.get(Workspace.Buffer.K, kvSize)); // [T × kvHeads·headDim]
        float[] v = wv.forward(kernels, x, rows, keep != null ? new float[kvSize] : ws.get(Workspace.Buffer.V, kvSize)); // [T × kvHeads·headDim]
        kernels.rope(q, rows, shape.heads(), shape.headDim(), batch.positions(), rope);
        kernels.rope(k, rows, shape.kvHeads(), shape.headDim(), batch.positions(), rope);
        if (keep != null) {
            keep.add(new KvPrefix(k, v, rows));
        }
        float[] context = ws.get(Workspace.Buffer.CONTEXT, rows * shape.qWidth()); // [T × heads·headDim]
        kernels.attention(q, k, v, batch.offsets(), batch.past(layer), shape, context);
        return wo.forward(kernels, context, rows, ws.get(Workspace.Buffer.PROJECTED, rows * wo.out())); // [T × d]
    }
}
