package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;

/**
 * One Gemma 3 block, normalised on both sides of each sub-block ("sandwich" norms):
 * x += postNorm(attn(preNorm(x))); x += postNorm(mlp(preNorm(x))).
 */
public record Gemma3Layer(RmsNorm attentionNorm, QkNormAttention attention, RmsNorm postAttentionNorm,
                          RmsNorm mlpNorm, GegluMlp mlp, RmsNorm postMlpNorm) {

    /** Updates the residual stream x [T × d] in place. */
    public void forward(Kernels kernels, float[] x, PackedBatch batch) {
        int rows = batch.tokenCount();
        float[] a = attention.forward(kernels, attentionNorm.apply(kernels, x, rows), batch);
        kernels.rmsNorm(a, rows, postAttentionNorm.weight(), postAttentionNorm.eps(), a);
        kernels.add(x, a, x.length);
        float[] m = mlp.forward(kernels, mlpNorm.apply(kernels, x, rows), rows);
        kernels.rmsNorm(m, rows, postMlpNorm.weight(), postMlpNorm.eps(), m);
        kernels.add(x, m, x.length);
    }
}
