package dev.sentemb.model;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import java.util.List;

/**
 * One OPT decoder block: multi-head attention with biases and no rotary positions, then a ReLU MLP
 * (fc1, fc2). Pre-LN (norm before each sub-block, as in every OPT but 350m) or post-LN (norm after
 * the residual add, {@code do_layer_norm_before = false}, as in opt-350m). {@code dropout} is the
 * config's, applied to each sub-block's output in training passes only, as transformers does.
 */
record OptLayer(LayerNorm attentionNorm, Linear wq, Linear wk, Linear wv, Linear wo, AttentionShape shape,
                LayerNorm mlpNorm, Linear fc1, Linear fc2, boolean preNorm, double dropout) implements Block {

    @Override
    public List<Linear> linears() {
        return List.of(wq, wk, wv, wo, fc1, fc2);
    }

    @Override
    public void forward(Kernels kernels, float[] x, PackedBatch batch, int layer, List<KvPrefix> keep, Workspace ws) {
        int rows = batch.tokenCount();
        float[] context = context(kernels, x, batch, layer, keep, ws);
        afterAttention(kernels, x, rows, context, ws);
    }

    @Override
    public float[] forwardLastRows(Kernels kernels, float[] x, PackedBatch batch, int layer, Workspace ws) {
        int d = x.length / batch.tokenCount();
        float[] context = batch.lastRows(context(kernels, x, batch, layer, null, ws), shape.qWidth());
        float[] xs = batch.lastRows(x, d); // [sequences × d]
        afterAttention(kernels, xs, batch.sequenceCount(), context, ws);
        return xs;
    }

    /** The attention's head outputs [T × heads·headDim] before the output projection (a workspace buffer). */
    private float[] context(Kernels kernels, float[] x, PackedBatch batch, int layer, List<KvPrefix> keep, Workspace ws) {
        int rows = batch.tokenCount();
        float[] h = preNorm ? attentionNorm.apply(kernels, x, rows, ws.get(Workspace.Buffer.NORMED, x.length)) : x;
        float[] q = ws.get(Workspace.Buffer.Q, rows * shape.qWidth());
        int kvSize = rows * shape.kvWidth();
        float[] k = keep != null ? new float[kvSize] : ws.get(Workspace.Buffer.K, kvSize);
        float[] v = keep != null ? new float[kvSize] : ws.get(Workspace.Buffer.V, kvSize);
        Linear.forwardAll(kernels, h, rows, new Linear[] {wq, wk, wv}, new float[][] {q, k, v});
        if (keep != null) { // OPT's keys carry no rotation: a prefix's are reused as they are
            keep.add(new KvPrefix(k, v, rows));
        }
        float[] context = ws.get(Workspace.Buffer.CONTEXT, rows * shape.qWidth());
        kernels.attention(q, k, v, batch.offsets(), batch.past(layer), shape, context);
        batch.beforeOutputProjection(layer, context, shape.qWidth());
        return context;
    }

    /** The rest of the block on {@code rows} rows of the stream x [rows × d] and their attention context. */
    private void afterAttention(Kernels kernels, float[] x, int rows, float[] context, Workspace ws) {
        int xs = rows * wo.out();
        kernels.add(x, wo.forward(kernels, context, rows, ws.get(Workspace.Buffer.PROJECTED, xs)), xs);
        if (!preNorm) {
            kernels.layerNorm(x, rows, attentionNorm.weight(), attentionNorm.bias(), attentionNorm.eps(), x);
        }
        float[] h = preNorm ? mlpNorm.apply(kernels, x, rows, ws.get(Workspace.Buffer.NORMED, xs)) : x;
        int width = rows * fc1.out();
        float[] f = fc1.forward(kernels, h, rows, ws.get(Workspace.Buffer.GATE, width));
        kernels.relu(f, width);
        kernels.add(x, fc2.forward(kernels, f, rows, ws.get(Workspace.Buffer.MLP_OUT, xs)), xs);
        if (!preNorm) {
            kernels.layerNorm(x, rows, mlpNorm.weight(), mlpNorm.bias(), mlpNorm.eps(), x);
        }
    }

    /**
     * A training forward's keepings: each LayerNorm's input (pre-LN: the stream before the sub-block;
     * post-LN: the residual sum after it), the projections' (fc1's output after the ReLU is fc2's input
     * and the ReLU's mask), and the attention's tensors.
     */
    record Saved(float[] norm1In, Linear.Saved q, Linear.Saved k, Linear.Saved v, Linear.Saved o, float[] qv, float[] kv,
                 float[] vv, float[] norm2In, Linear.Saved fc1, Linear.Saved fc2) implements Block.Saved {}

    /**
     * Training forward: LoRA sites 8·layer + 0..3 (q, k, v, out_proj), + 4 (fc1), + 5 (fc2); the dropout of
     * the attention's and the MLP's outputs + 6 and + 7.
     */
    @Override
    public Saved forwardTrain(Kernels kernels, float[] x, PackedBatch batch, int layer, Pass pass) {
        int rows = batch.tokenCount();
        int site = 8 * layer;
        float[] norm1In = preNorm ? x.clone() : null;
        float[] h = preNorm ? attentionNorm.apply(kernels, x, rows) : x.clone();
        float[] q = new float[rows * shape.qWidth()];
        float[] k = new float[rows * shape.kvWidth()];
        float[] v = new float[rows * shape.kvWidth()];
        Linear.Saved sq = wq.forwardTrain(kernels, h, rows, q, pass.dropout(), pass.rowKeys(), site);
        Linear.Saved sk = wk.forwardTrain(kernels, h, rows, k, pass.dropout(), pass.rowKeys(), site + 1);
        Linear.Saved sv = wv.forwardTrain(kernels, h, rows, v, pass.dropout(), pass.rowKeys(), site + 2);
        float[] context = new float[rows * shape.qWidth()];
        kernels.attention(q, k, v, batch.offsets(), shape, context);
        float[] a = new float[x.length];
        Linear.Saved so = wo.forwardTrain(kernels, context, rows, a, pass.dropout(), pass.rowKeys(), site + 3);
        LoraDropout hidden = pass.dropout().hidden(dropout);
        kernels.add(x, hidden.apply(a, rows, wo.out(), pass.rowKeys(), site + 6), x.length);
        if (!preNorm) {
            norm1In = x.clone();
            kernels.layerNorm(x, rows, attentionNorm.weight(), attentionNorm.bias(), attentionNorm.eps(), x);
        }
        float[] norm2In = preNorm ? x.clone() : null;
        h = preNorm ? mlpNorm.apply(kernels, x, rows) : x.clone();
        float[] f = new float[rows * fc1.out()];
        Linear.Saved s1 = fc1.forwardTrain(kernels, h, rows, f, pass.dropout(), pass.rowKeys(), site + 4);
        kernels.relu(f, f.length);
        float[] m = new float[x.length];
        Linear.Saved s2 = fc2.forwardTrain(kernels, f, rows, m, pass.dropout(), pass.rowKeys(), site + 5);
        kernels.add(x, hidden.apply(m, rows, fc2.out(), pass.rowKeys(), site + 7), x.length);
        if (!preNorm) {
            norm2In = x.clone();
            kernels.layerNorm(x, rows, mlpNorm.weight(), mlpNorm.bias(), mlpNorm.eps(), x);
        }
        return new Saved(norm1In, sq, sk, sv, so, q, k, v, norm2In, s1, s2);
    }

    /**
     * Backward. Pre-LN: each sub-block's gradient goes through its norm and adds to the residual's.
     * Post-LN: the gradient first goes back through the norm after the residual sum, then splits between
     * the sub-block and the residual.
     */
    @Override
    public void backward(Kernels kernels, Block.Saved s, PackedBatch batch, float[] dx, int layer, Pass pass, boolean needInput) {
        Saved saved = (Saved) s;
        int rows = batch.tokenCount();
        int site = 8 * layer;
        float[] scratch = new float[dx.length];
        LoraDropout hidden = pass.dropout().hidden(dropout);
        if (!preNorm) { // dx ← dLN2ᵀ·dx: the gradient at the residual sum
            kernels.layerNormBackward(saved.norm2In(), rows, mlpNorm.weight(), mlpNorm.eps(), dx, scratch);
            System.arraycopy(scratch, 0, dx, 0, dx.length);
        }
        float[] df = new float[rows * fc1.out()];
        float[] dm = hidden.apply(dx, rows, fc2.out(), pass.rowKeys(), site + 7); // through the output's dropout mask
        fc2.backward(kernels, saved.fc2(), rows, dm, df, pass.dropout(), pass.rowKeys(), site + 5, pass.grads());
        kernels.reluBackward(saved.fc2().x(), df, df.length);
        float[] dh = new float[dx.length];
        fc1.backward(kernels, saved.fc1(), rows, df, dh, pass.dropout(), pass.rowKeys(), site + 4, pass.grads());
        if (preNorm) {
            kernels.layerNormBackward(saved.norm2In(), rows, mlpNorm.weight(), mlpNorm.eps(), dh, scratch);
            kernels.add(dx, scratch, dx.length);
        } else {
            kernels.add(dx, dh, dx.length);
            kernels.layerNormBackward(saved.norm1In(), rows, attentionNorm.weight(), attentionNorm.eps(), dx, scratch);
            System.arraycopy(scratch, 0, dx, 0, dx.length);
        }
        // dx is the gradient at the stream between the sub-blocks (pre-LN) or at the attention's residual sum (post-LN)
        float[] dContext = new float[rows * shape.qWidth()];
        float[] da = hidden.apply(dx, rows, wo.out(), pass.rowKeys(), site + 6);
        wo.backward(kernels, saved.o(), rows, da, dContext, pass.dropout(), pass.rowKeys(), site + 3, pass.grads());
        float[] dq = new float[rows * shape.qWidth()];
        float[] dk = new float[rows * shape.kvWidth()];
        float[] dv = new float[rows * shape.kvWidth()];
        kernels.attentionBackward(saved.qv(), saved.kv(), saved.vv(), batch.offsets(), shape, dContext, dq, dk, dv);
        float[] dh1 = needInput ? new float[dx.length] : null;
        float[] part = needInput ? new float[dx.length] : null;
        wq.backward(kernels, saved.q(), rows, dq, dh1, pass.dropout(), pass.rowKeys(), site, pass.grads());
        wk.backward(kernels, saved.k(), rows, dk, part, pass.dropout(), pass.rowKeys(), site + 1, pass.grads());
        if (needInput) {
            kernels.add(dh1, part, dx.length);
        }
        wv.backward(kernels, saved.v(), rows, dv, part, pass.dropout(), pass.rowKeys(), site + 2, pass.grads());
        if (needInput) {
            kernels.add(dh1, part, dx.length);
            if (preNorm) {
                kernels.layerNormBackward(saved.norm1In(), rows, attentionNorm.weight(), attentionNorm.eps(), dh1, scratch);
                kernels.add(dx, scratch, dx.length);
            } else {
                kernels.add(dx, dh1, dx.length);
            }
        }
    }
}
