package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import java.util.List;

/**
 * One Gemma 3 block, normalised on both sides of each sub-block ("sandwich" norms):
 * x += postNorm(attn(preNorm(x))); x += postNorm(mlp(preNorm(x))).
 */
public record Gemma3Layer(RmsNorm attentionNorm, GroupedQueryAttention attention, RmsNorm postAttentionNorm,
                          RmsNorm mlpNorm, GatedMlp mlp, RmsNorm postMlpNorm) implements Block {

    @Override
    public java.util.List<Linear> linears() {
        return java.util.List.of(attention.wq(), attention.wk(), attention.wv(), attention.wo(), mlp.gate(), mlp.up(), mlp.down());
    }

    @Override
    public void forward(Kernels kernels, float[] x, PackedBatch batch, int layer, List<KvPrefix> keep, Workspace ws) {
        int rows = batch.tokenCount();
        float[] h = attentionNorm.apply(kernels, x, rows, ws.get(Workspace.Buffer.NORMED, x.length));
        float[] a = attention.forward(kernels, h, batch, layer, keep, ws);
        kernels.rmsNorm(a, rows, postAttentionNorm.weight(), postAttentionNorm.eps(), a);
        kernels.add(x, a, x.length);
        h = mlpNorm.apply(kernels, x, rows, ws.get(Workspace.Buffer.NORMED, x.length));
        float[] m = mlp.forward(kernels, h, rows, ws);
        kernels.rmsNorm(m, rows, postMlpNorm.weight(), postMlpNorm.eps(), m);
        kernels.add(x, m, x.length);
    }

    @Override
    public float[] forwardLastRows(Kernels kernels, float[] x, PackedBatch batch, int layer, Workspace ws) {
        int rows = batch.tokenCount();
        int n = batch.sequenceCount();
        float[] h = attentionNorm.apply(kernels, x, rows, ws.get(Workspace.Buffer.NORMED, x.length));
        float[] a = attention.forwardLastRows(kernels, h, batch, layer, ws);
        kernels.rmsNorm(a, n, postAttentionNorm.weight(), postAttentionNorm.eps(), a);
        float[] xs = batch.lastRows(x, x.length / rows); // [sequences × d]
        kernels.add(xs, a, xs.length);
        h = mlpNorm.apply(kernels, xs, n, ws.get(Workspace.Buffer.NORMED, xs.length));
        float[] m = mlp.forward(kernels, h, n, ws);
        kernels.rmsNorm(m, n, postMlpNorm.weight(), postMlpNorm.eps(), m);
        kernels.add(xs, m, xs.length);
        return xs;
    }

    /**
     * A training forward's keepings: the stream before each sub-block, each sub-block's output before its
     * post-norm, and the sub-blocks'.
     */
    record Saved(float[] xIn, GroupedQueryAttention.Saved attention, float[] a, float[] xMid, GatedMlp.Saved mlp,
                 float[] m) implements Block.Saved {}

    /** Training forward: LoRA sites 8·layer + 0..3 (q, k, v, o) and + 4..6 (gate, up, down). */
    @Override
    public Saved forwardTrain(Kernels kernels, float[] x, PackedBatch batch, int layer, Pass pass) {
        int rows = batch.tokenCount();
        float[] xIn = x.clone();
        float[] h1 = attentionNorm.apply(kernels, x, rows);
        float[] a = new float[x.length];
        GroupedQueryAttention.Saved sa = attention.forwardTrain(kernels, h1, batch, a, pass, 8 * layer);
        kernels.add(x, postAttentionNorm.apply(kernels, a, rows), x.length);
        float[] xMid = x.clone();
        float[] h2 = mlpNorm.apply(kernels, x, rows);
        float[] m = new float[x.length];
        GatedMlp.Saved sm = mlp.forwardTrain(kernels, h2, rows, m, pass, 8 * layer + 4);
        kernels.add(x, postMlpNorm.apply(kernels, m, rows), x.length);
        return new Saved(xIn, sa, a, xMid, sm, m);
    }

    /** Backward: through each post-norm, its sub-block and pre-norm, the residual passing dx through. */
    @Override
    public void backward(Kernels kernels, Block.Saved s, PackedBatch batch, float[] dx, int layer, Pass pass, boolean needInput) {
        Saved saved = (Saved) s;
        int rows = batch.tokenCount();
        float[] dm = new float[dx.length];
        kernels.rmsNormBackward(saved.m(), rows, postMlpNorm.weight(), postMlpNorm.eps(), dx, dm);
        float[] dh2 = new float[dx.length];
        mlp.backward(kernels, saved.mlp(), rows, dm, dh2, pass, 8 * layer + 4);
        float[] dn = new float[dx.length];
        kernels.rmsNormBackward(saved.xMid(), rows, mlpNorm.weight(), mlpNorm.eps(), dh2, dn);
        kernels.add(dx, dn, dx.length); // the gradient at the stream between the sub-blocks
        float[] da = new float[dx.length];
        kernels.rmsNormBackward(saved.a(), rows, postAttentionNorm.weight(), postAttentionNorm.eps(), dx, da);
        float[] dh1 = needInput ? new float[dx.length] : null;
        attention.backward(kernels, saved.attention(), batch, da, dh1, pass, 8 * layer);
        if (needInput) {
            kernels.rmsNormBackward(saved.xIn(), rows, attentionNorm.weight(), attentionNorm.eps(), dh1, dn);
            kernels.add(dx, dn, dx.length);
        }
    }
}
