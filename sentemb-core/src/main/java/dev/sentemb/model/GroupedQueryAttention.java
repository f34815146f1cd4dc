package dev.sentemb.model;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import dev.sentemb.kernel.Rope;
import java.util.List;

/**
 * Causal self-attention with grouped-query heads and rotary positions: project to q/k/v (optional
 * biases, as qwen2 has), RMS-normalise each query and key head if the model has q/k norms (Gemma 3),
 * rotate q and k by position, attend within each packed sequence (after the batch's cached prefix, if
 * any), project back. The shape carries the score scale and, for local layers, the sliding window; the
 * rope carries the layer's base frequency.
 *
 * @param qNorm gain over one head (headDim wide) applied to every query head, or null (llama, qwen2)
 * @param kNorm the same for key heads, or null
 */
public record GroupedQueryAttention(Linear wq, Linear wk, Linear wv, Linear wo, RmsNorm qNorm, RmsNorm kNorm,
                                   AttentionShape shape, Rope rope) {
    public GroupedQueryAttention {
        if ((qNorm == null) != (kNorm == null)) {
            throw new ModelFormatException("a q norm needs a k norm and the other way round");
        }
        if (qNorm != null && (qNorm.dim() != shape.headDim() || kNorm.dim() != shape.headDim())) {
            throw new ModelFormatException("q/k norm widths " + qNorm.dim() + "/" + kNorm.dim() + " differ from head dim " + shape.headDim());
        }
    }

    /** Without q/k norms (llama, qwen2). */
    public GroupedQueryAttention(Linear wq, Linear wk, Linear wv, Linear wo, AttentionShape shape, Rope rope) {
        this(wq, wk, wv, wo, null, null, shape, rope);
    }

    /**
     * x: normalised input [T × d] of layer {@code layer} of the model; returns the block's output
     * [T × d], the pass's PROJECTED buffer. Attends to the batch's cached prefix for that layer first,
     * and when {@code keep} is not null appends this batch's rotated keys and values to it (how a
     * prefix's cache is built; they then get arrays of their own).
     */
    float[] forward(Kernels kernels, float[] x, PackedBatch batch, int layer, List<KvPrefix> keep, Workspace ws) {
        int rows = batch.tokenCount();
        float[] context = context(kernels, x, batch, layer, keep, ws);
        return wo.forward(kernels, context, rows, ws.get(Workspace.Buffer.PROJECTED, rows * wo.out())); // [T × d]
    }

    /**
     * {@link #forward} for each sequence's last row alone: every row's keys, values and context (the last row
     * attends to them all), then the output projection of the last rows: [sequences × d], a new array.
     */
    float[] forwardLastRows(Kernels kernels, float[] x, PackedBatch batch, int layer, Workspace ws) {
        float[] context = batch.lastRows(context(kernels, x, batch, layer, null, ws), shape.qWidth());
        int n = batch.sequenceCount();
        return wo.forward(kernels, context, n, new float[n * wo.out()]);
    }

    /** The attention's concatenated head outputs [T × heads·headDim] before the output projection (a workspace buffer). */
    private float[] context(Kernels kernels, float[] x, PackedBatch batch, int layer, List<KvPrefix> keep, Workspace ws) {
        int rows = batch.tokenCount();
        int kvSize = rows * shape.kvWidth();
        float[] q = ws.get(Workspace.Buffer.Q, rows * shape.qWidth()); // [T × heads·headDim]
        float[] k = keep != null ? new float[kvSize] : ws.get(Workspace.Buffer.K, kvSize); // [T × kvHeads·headDim]
        float[] v = keep != null ? new float[kvSize] : ws.get(Workspace.Buffer.V, kvSize); // [T × kvHeads·headDim]
        Linear.forwardAll(kernels, x, rows, new Linear[] {wq, wk, wv}, new float[][] {q, k, v});
        if (qNorm != null) { // each head is one row of headDim for the norm: [T·heads × headDim], in place
            kernels.rmsNorm(q, rows * shape.heads(), qNorm.weight(), qNorm.eps(), q);
            kernels.rmsNorm(k, rows * shape.kvHeads(), kNorm.weight(), kNorm.eps(), k);
        }
        kernels.rope(q, rows, shape.heads(), shape.headDim(), batch.positions(), rope);
        kernels.rope(k, rows, shape.kvHeads(), shape.headDim(), batch.positions(), rope);
        if (keep != null) {
            keep.add(new KvPrefix(k, v, rows));
        }
        float[] context = ws.get(Workspace.Buffer.CONTEXT, rows * shape.qWidth()); // [T × heads·headDim]
        kernels.attention(q, k, v, batch.offsets(), batch.past(layer), shape, context);
        batch.beforeOutputProjection(layer, context, shape.qWidth());
        return context;
    }

    /**
     * A training forward's keepings: each projection's, q and k before their head norms (null without),
     * the rotated q and k, v, the context.
     */
    record Saved(Linear.Saved q, Linear.Saved k, Linear.Saved v, Linear.Saved o, float[] qRaw, float[] kRaw,
                 float[] qr, float[] kr, float[] vr, float[] context) {}

    /**
     * Training forward over a batch without prefix: writes the block's output [T × d] into {@code out}.
     * LoRA sites are {@code site} .. site+3 (q, k, v, o).
     */
    Saved forwardTrain(Kernels kernels, float[] x, PackedBatch batch, float[] out, Pass pass, int site) {
        int rows = batch.tokenCount();
        float[] q = new float[rows * shape.qWidth()];
        float[] k = new float[rows * shape.kvWidth()];
        float[] v = new float[rows * shape.kvWidth()];
        Linear.Saved sq = wq.forwardTrain(kernels, x, rows, q, pass.dropout(), pass.rowKeys(), site);
        Linear.Saved sk = wk.forwardTrain(kernels, x, rows, k, pass.dropout(), pass.rowKeys(), site + 1);
        Linear.Saved sv = wv.forwardTrain(kernels, x, rows, v, pass.dropout(), pass.rowKeys(), site + 2);
        float[] qRaw = null, kRaw = null;
        if (qNorm != null) { // [T·heads × headDim] rows for the norm, the raw projections kept for backward
            qRaw = q.clone();
            kRaw = k.clone();
            kernels.rmsNorm(q, rows * shape.heads(), qNorm.weight(), qNorm.eps(), q);
            kernels.rmsNorm(k, rows * shape.kvHeads(), kNorm.weight(), kNorm.eps(), k);
        }
        kernels.rope(q, rows, shape.heads(), shape.headDim(), batch.positions(), rope);
        kernels.rope(k, rows, shape.kvHeads(), shape.headDim(), batch.positions(), rope);
        float[] context = new float[rows * shape.qWidth()];
        kernels.attention(q, k, v, batch.offsets(), shape, context);
        Linear.Saved so = wo.forwardTrain(kernels, context, rows, out, pass.dropout(), pass.rowKeys(), site + 3);
        return new Saved(sq, sk, sv, so, qRaw, kRaw, q, k, v, context);
    }

    /**
     * Backward: dOut [T × d] → dx [T × d] (overwritten; the gradient with respect to the normalised
     * input; null: not formed), LoRA gradients into the pass's accumulators. The context through wo,
     * attention, the rotations transposed, the head norms, then the three projections' input gradients summed.
     */
    void backward(Kernels kernels, Saved saved, PackedBatch batch, float[] dOut, float[] dx, Pass pass, int site) {
        int rows = batch.tokenCount();
        float[] dContext = new float[rows * shape.qWidth()];
        wo.backward(kernels, saved.o(), rows, dOut, dContext, pass.dropout(), pass.rowKeys(), site + 3, pass.grads());
        float[] dq = new float[rows * shape.qWidth()];
        float[] dk = new float[rows * shape.kvWidth()];
        float[] dv = new float[rows * shape.kvWidth()];
        kernels.attentionBackward(saved.qr(), saved.kr(), saved.vr(), batch.offsets(), shape, dContext, dq, dk, dv);
        kernels.ropeBackward(dq, rows, shape.heads(), shape.headDim(), batch.positions(), rope);
        kernels.ropeBackward(dk, rows, shape.kvHeads(), shape.headDim(), batch.positions(), rope);
        if (qNorm != null) {
            float[] dqRaw = new float[dq.length], dkRaw = new float[dk.length];
            kernels.rmsNormBackward(saved.qRaw(), rows * shape.heads(), qNorm.weight(), qNorm.eps(), dq, dqRaw);
            kernels.rmsNormBackward(saved.kRaw(), rows * shape.kvHeads(), kNorm.weight(), kNorm.eps(), dk, dkRaw);
            dq = dqRaw;
            dk = dkRaw;
        }
        float[] part = dx == null ? null : new float[rows * wq.in()];
        wq.backward(kernels, saved.q(), rows, dq, dx, pass.dropout(), pass.rowKeys(), site, pass.grads());
        wk.backward(kernels, saved.k(), rows, dk, part, pass.dropout(), pass.rowKeys(), site + 1, pass.grads());
        if (dx != null) {
            kernels.add(dx, part, rows * wq.in());
        }
        wv.backward(kernels, saved.v(), rows, dv, part, pass.dropout(), pass.rowKeys(), site + 2, pass.grads());
        if (dx != null) {
            kernels.add(dx, part, rows * wq.in());
        }
    }
}
