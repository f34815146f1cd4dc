package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import java.util.List;

/** One pre-norm decoder block: x += attn(norm(x)); x += mlp(norm(x)). */
public record DecoderLayer(RmsNorm attentionNorm, GroupedQueryAttention attention, RmsNorm mlpNorm, GatedMlp mlp) implements Block {

    @Override
    public java.util.List<Linear> linears() {
        return java.util.List.of(attention.wq(), attention.wk(), attention.wv(), attention.wo(), mlp.gate(), mlp.up(), mlp.down());
    }

    @Override
    public void forward(Kernels kernels, float[] x, PackedBatch batch, int layer, List<KvPrefix> keep, Workspace ws) {
        int rows = batch.tokenCount();
        float[] h = attentionNorm.apply(kernels, x, rows, ws.get(Workspace.Buffer.NORMED, x.length));
        float[] a = attention.forward(kernels, h, batch, layer, keep, ws);
        kernels.add(x, a, x.length);
        h = mlpNorm.apply(kernels, x, rows, ws.get(Workspace.Buffer.NORMED, x.length));
        float[] m = mlp.forward(kernels, h, rows, ws);
        kernels.add(x, m, x.length);
    }

    @Override
    public float[] forwardLastRows(Kernels kernels, float[] x, PackedBatch batch, int layer, Workspace ws) {
        int rows = batch.tokenCount();
        int n = batch.sequenceCount();
        float[] h = attentionNorm.apply(kernels, x, rows, ws.get(Workspace.Buffer.NORMED, x.length));
        float[] a = attention.forwardLastRows(kernels, h, batch, layer, ws);
        float[] xs = batch.lastRows(x, x.length / rows); // [sequences × d]
        kernels.add(xs, a, xs.length);
        h = mlpNorm.apply(kernels, xs, n, ws.get(Workspace.Buffer.NORMED, xs.length));
        float[] m = mlp.forward(kernels, h, n, ws);
        kernels.add(xs, m, xs.length);
        return xs;
    }

    /** A training forward's keepings: the stream before each sub-block (the norms' inputs; the normalised values live on in the projections' keepings) and the sub-blocks'. */
    record Saved(float[] xIn, GroupedQueryAttention.Saved attention, float[] xMid, GatedMlp.Saved mlp) implements Block.Saved {}

    /** Training forward: LoRA sites 8·layer + 0..3 (q, k, v, o) and + 4..6 (gate, up, down). */
    @Override
    public Saved forwardTrain(Kernels kernels, float[] x, PackedBatch batch, int layer, Pass pass) {
        int rows = batch.tokenCount();
        float[] xIn = x.clone();
        float[] h1 = attentionNorm.apply(kernels, x, rows);
        float[] a = new float[x.length];
        GroupedQueryAttention.Saved sa = attention.forwardTrain(kernels, h1, batch, a, pass, 8 * layer);
        kernels.add(x, a, x.length);
        float[] xMid = x.clone();
        float[] h2 = mlpNorm.apply(kernels, x, rows);
        float[] m = new float[x.length];
        GatedMlp.Saved sm = mlp.forwardTrain(kernels, h2, rows, m, pass, 8 * layer + 4);
        kernels.add(x, m, x.length);
        return new Saved(xIn, sa, xMid, sm);
    }

    /** Backward: the residual passes dx through; each sub-block adds its norm's backward. */
    @Override
    public void backward(Kernels kernels, Block.Saved s, PackedBatch batch, float[] dx, int layer, Pass pass, boolean needInput) {
        Saved saved = (Saved) s;
        int rows = batch.tokenCount();
        float[] dh2 = new float[dx.length];
        mlp.backward(kernels, saved.mlp(), rows, dx, dh2, pass, 8 * layer + 4);
        float[] dn = new float[dx.length];
        kernels.rmsNormBackward(saved.xMid(), rows, mlpNorm.weight(), mlpNorm.eps(), dh2, dn);
        kernels.add(dx, dn, dx.length); // dx is now the gradient at the stream between the sub-blocks
        float[] dh1 = needInput ? new float[dx.length] : null;
        attention.backward(kernels, saved.attention(), batch, dx, dh1, pass, 8 * layer);
        if (needInput) {
            kernels.rmsNormBackward(saved.xIn(), rows, attentionNorm.weight(), attentionNorm.eps(), dh1, dn);
            kernels.add(dx, dn, dx.length);
        }
    }
}
