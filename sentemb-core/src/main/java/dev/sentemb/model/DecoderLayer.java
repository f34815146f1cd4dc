package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;

/** One pre-norm decoder block: x += attn(norm(x)); x += mlp(norm(x)). */
public record DecoderLayer(RmsNorm attentionNorm, GroupedQueryAttention attention, RmsNorm mlpNorm, SwiGluMlp mlp) {

    /** Updates the residual stream x [T × d] in place. */
    public void forward(Kernels kernels, float[] x, PackedBatch batch) {
        int rows = batch.tokenCount();
        float[] h = attentionNorm.apply(kernels, x, rows);
        float[] a = attention.forward(kernels, h, batch);
        kernels.add(x, a, x.length);
        h = mlpNorm.apply(kernels, x, rows);
        float[] m = mlp.forward(kernels, h, rows);
        kernels.add(x, m, x.length);
    }
}
