package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import java.util.List;

/** One pre-norm decoder block: x += attn(norm(x)); x += mlp(norm(x)). */
public record DecoderLayer(RmsNorm attentionNorm, GroupedQueryAttention attention, RmsNorm mlpNorm, SwiGluMlp mlp) {

    /** Updates the residual stream x [T × d] in place. */
    public void forward(Kernels kernels, float[] x, PackedBatch batch) {
        forward(kernels, x, batch, 0, null);
    }

    /** As above as layer {@code layer} of the model (which cached prefix layer to read; see GroupedQueryAttention). */
    public void forward(Kernels kernels, float[] x, PackedBatch batch, int layer, List<KvPrefix> keep) {
        int rows = batch.tokenCount();
        float[] h = attentionNorm.apply(kernels, x, rows);
        float[] a = attention.forward(kernels, h, batch, layer, keep);
        kernels.add(x, a, x.length);
        h = mlpNorm.apply(kernels, x, rows);
        float[] m = mlp.forward(kernels, h, rows);
        kernels.add(x, m, x.length);
    }
}
