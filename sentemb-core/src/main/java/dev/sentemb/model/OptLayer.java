package dev.sentemb.model;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;

/**
 * One OPT decoder block: multi-head attention with biases and no rotary positions, then a ReLU MLP
 * (fc1, fc2). Pre-LN (norm before each sub-block, as in every OPT but 350m) or post-LN (norm after
 * the residual add, {@code do_layer_norm_before = false}, as in opt-350m).
 */
record OptLayer(LayerNorm attentionNorm, Linear wq, Linear wk, Linear wv, Linear wo, AttentionShape shape,
                LayerNorm mlpNorm, Linear fc1, Linear fc2, boolean preNorm) {

    /** Updates the residual stream x [T × d] in place. */
    void forward(Kernels kernels, float[] x, PackedBatch batch) {
        int rows = batch.tokenCount();
        float[] h = preNorm ? attentionNorm.apply(kernels, x, rows) : x;
        float[] q = wq.forward(kernels, h, rows);
        float[] k = wk.forward(kernels, h, rows);
        float[] v = wv.forward(kernels, h, rows);
        float[] context = new float[rows * shape.qWidth()];
        kernels.attention(q, k, v, batch.offsets(), shape, context);
        kernels.add(x, wo.forward(kernels, context, rows), x.length);
        if (!preNorm) {
            kernels.layerNorm(x, rows, attentionNorm.weight(), attentionNorm.bias(), attentionNorm.eps(), x);
        }
        h = preNorm ? mlpNorm.apply(kernels, x, rows) : x;
        float[] f = fc1.forward(kernels, h, rows);
        kernels.relu(f, f.length);
        kernels.add(x, fc2.forward(kernels, f, rows), x.length);
        if (!preNorm) {
            kernels.layerNorm(x, rows, mlpNorm.weight(), mlpNorm.bias(), mlpNorm.eps(), x);
        }
    }
}
