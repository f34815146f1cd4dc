package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import java.util.List;

/** One pre-norm decoder block: x += attn(norm(x)); x += mlp(norm(x)). */
public record DecoderLayer(RmsNorm attentionNorm, GroupedQueryAttention attention, RmsNorm mlpNorm, GatedMlp mlp) implements Block {

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
}
