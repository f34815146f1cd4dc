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
}
