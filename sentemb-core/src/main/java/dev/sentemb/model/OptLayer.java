package dev.sentemb.model;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import java.util.List;

/**
 * One OPT decoder block: multi-head attention with biases and no rotary positions, then a ReLU MLP
 * (fc1, fc2). Pre-LN (norm before each sub-block, as in every OPT but 350m) or post-LN (norm after
 * the residual add, {@code do_layer_norm_before = false}, as in opt-350m).
 */
record OptLayer(LayerNorm attentionNorm, Linear wq, Linear wk, Linear wv, Linear wo, AttentionShape shape,
                LayerNorm mlpNorm, Linear fc1, Linear fc2, boolean preNorm) implements Block {

    @Override
    public void forward(Kernels kernels, float[] x, PackedBatch batch, int layer, List<KvPrefix> keep, Workspace ws) {
        int rows = batch.tokenCount();
        float[] h = preNorm ? attentionNorm.apply(kernels, x, rows, ws.get(Workspace.Buffer.NORMED, x.length)) : x;
        float[] q = wq.forward(kernels, h, rows, ws.get(Workspace.Buffer.Q, rows * shape.qWidth()));
        int kvSize = rows * shape.kvWidth();
        float[] k = wk.forward(kernels, h, rows, keep != null ? new float[kvSize] : ws.get(Workspace.Buffer.K, kvSize));
        float[] v = wv.forward(kernels, h, rows, keep != null ? new float[kvSize] : ws.get(Workspace.Buffer.V, kvSize));
        if (keep != null) { // OPT's keys carry no rotation: a prefix's are reused as they are
            keep.add(new KvPrefix(k, v, rows));
        }
        float[] context = ws.get(Workspace.Buffer.CONTEXT, rows * shape.qWidth());
        kernels.attention(q, k, v, batch.offsets(), batch.past(layer), shape, context);
        kernels.add(x, wo.forward(kernels, context, rows, ws.get(Workspace.Buffer.PROJECTED, x.length)), x.length);
        if (!preNorm) {
            kernels.layerNorm(x, rows, attentionNorm.weight(), attentionNorm.bias(), attentionNorm.eps(), x);
        }
        h = preNorm ? mlpNorm.apply(kernels, x, rows, ws.get(Workspace.Buffer.NORMED, x.length)) : x;
        int width = rows * fc1.out();
        float[] f = fc1.forward(kernels, h, rows, ws.get(Workspace.Buffer.GATE, width));
        kernels.relu(f, width);
        kernels.add(x, fc2.forward(kernels, f, rows, ws.get(Workspace.Buffer.MLP_OUT, x.length)), x.length);
        if (!preNorm) {
            kernels.layerNorm(x, rows, mlpNorm.weight(), mlpNorm.bias(), mlpNorm.eps(), x);
        }
    }
}
