package dev.sentemb.model;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import dev.sentemb.kernel.Rope;
import java.util.List;

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
        return forward(kernels, x, batch, 0, null, new Workspace());
    }

    /** As {@link GroupedQueryAttention#forward(Kernels, float[], PackedBatch, int, List, Workspace)}, with the q/k norms. */
    float[] forward(Kernels kernels, float[] x, PackedBatch batch, int layer, List<KvPrefix> keep, Workspace ws) {
        int rows = batch.tokenCount();
        int kvSize = rows * shape.kvWidth();
        float[] q = wq.forward(kernels, x, rows, ws.get(Workspace.Buffer.Q, rows * shape.qWidth())); // [T × heads·headDim]
        float[] k = wk.forward(kernels, x, rows, keep != null ? new float[kvSize] : ws.get(Workspace.Buffer.K, kvSize)); // [T × kvHeads·headDim]
        float[] v = wv.forward(kernels, x, rows, keep != null ? new float[kvSize] : ws.get(Workspace.Buffer.V, kvSize)); // [T × kvHeads·headDim]
        // Each head is one row of headDim for the norm: [T·heads × headDim], in place.
        kernels.rmsNorm(q, rows * shape.heads(), qNorm.weight(), qNorm.eps(), q);
        kernels.rmsNorm(k, rows * shape.kvHeads(), kNorm.weight(), kNorm.eps(), k);
        kernels.rope(q, rows, shape.heads(), shape.headDim(), batch.positions(), rope);
        kernels.rope(k, rows, shape.kvHeads(), shape.headDim(), batch.positions(), rope);
        if (keep != null) {
            keep.add(new KvPrefix(k, v, rows));
        }
        float[] context = ws.get(Workspace.Buffer.CONTEXT, rows * shape.qWidth());
        kernels.attention(q, k, v, batch.offsets(), batch.past(layer), shape, context);
        return wo.forward(kernels, context, rows, ws.get(Workspace.Buffer.PROJECTED, rows * wo.out()));
    }
}
