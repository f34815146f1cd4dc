package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.WeightMatrix;

/**
 * A linear layer y = x·Wᵀ (+ b). The one place every projection goes through, so that a LoRA
 * adapter (y += scale·(x·Aᵀ)·Bᵀ) or a backward pass can later attach here without touching the
 * blocks that use it.
 *
 * @param weight W [out × in]
 * @param bias   b [out], or null
 * @param lora   a low-rank update applied on the fly, or null
 */
public record Linear(WeightMatrix weight, float[] bias, LowRank lora) {
    public Linear(WeightMatrix weight, float[] bias) {
        this(weight, bias, null);
    }

    public Linear {
        if (lora != null && (lora.a().cols() != weight.cols() || lora.b().rows() != weight.rows())) {
            throw new ModelFormatException("LoRA of shape " + lora.b().rows() + "x" + lora.a().cols() + " for a "
                    + weight.rows() + "x" + weight.cols() + " layer");
        }
        if (bias != null && bias.length != weight.rows()) {
            throw new ModelFormatException("bias of length " + bias.length + " for a layer with " + weight.rows() + " outputs");
        }
    }

    public int in() {
        return weight.cols();
    }

    public int out() {
        return weight.rows();
    }

    /** out[rows × out] = x[rows × in] · Wᵀ + b; out may be longer. Returns out. */
    public float[] forward(Kernels kernels, float[] x, int rows, float[] out) {
        kernels.matmul(x, rows, weight, out);
        addBiasAndUpdate(kernels, x, rows, out);
        return out;
    }

    /** out += b and the LoRA update of x: what follows the product in {@link #forward}. */
    private void addBiasAndUpdate(Kernels kernels, float[] x, int rows, float[] out) {
        if (bias != null) {
            kernels.addBias(out, rows, bias);
        }
        if (lora != null) {
            lora.addTo(kernels, x, rows, out);
        }
    }

    /**
     * {@link #forward} of projections that share their input (q, k, v; gate and up), their products as one
     * parallel loop; {@code outs[i]} gets exactly what {@code ls[i].forward} would write.
     */
    static void forwardAll(Kernels kernels, float[] x, int rows, Linear[] ls, float[][] outs) {
        WeightMatrix[] ws = new WeightMatrix[ls.length];
        for (int i = 0; i < ls.length; i++) {
            ws[i] = ls[i].weight;
        }
        kernels.matmuls(x, rows, ws, outs);
        for (int i = 0; i < ls.length; i++) {
            ls[i].addBiasAndUpdate(kernels, x, rows, outs[i]);
        }
    }

    /** Allocates the output and runs {@link #forward}. */
    public float[] forward(Kernels kernels, float[] x, int rows) {
        return forward(kernels, x, rows, new float[rows * out()]);
    }

    /**
     * What {@link #backward} needs of a training forward: the input x [T × in] (borrowed, not copied)
     * and, with a LoRA, t = dropout(x)·Aᵀ [T × r].
     */
    record Saved(float[] x, float[] t) {}

    /**
     * Training forward: out[T × out] = x·Wᵀ + b + scale·(dropout(x)·Aᵀ)·Bᵀ, the dropout mask being that of
     * {@code site} for the given rows. With no dropout it computes what {@link #forward} computes.
     */
    Saved forwardTrain(Kernels kernels, float[] x, int rows, float[] out, LoraDropout dropout, long[] rowKeys, int site) {
        kernels.matmul(x, rows, weight, out);
        if (bias != null) {
            kernels.addBias(out, rows, bias);
        }
        if (lora == null) {
            return new Saved(x, null);
        }
        float[] t = lora.addTo(kernels, dropout.apply(x, rows, in(), rowKeys, site), rows, out);
        return new Saved(x, t);
    }

    /**
     * Backward of {@link #forwardTrain}. Shapes: dy [T × out] → dx [T × in] (overwritten; skipped when
     * null), and into {@code grads}: dB += s·dyᵀ·t [out × r], dA += (s·dy·B)ᵀ·dropout(x) [r × in]. The
     * input gradient through the frozen W uses the decode-per-panel product; through the LoRA path it
     * is dx += (s·dy·B)·A masked like the forward.
     */
    void backward(Kernels kernels, Saved saved, int rows, float[] dy, float[] dx, LoraDropout dropout, long[] rowKeys, int site,
            LoraGradients grads) {
        if (dx != null) {
            kernels.matmulTransposed(dy, rows, weight, dx);
        }
        if (lora == null) {
            return;
        }
        int r = lora.a().rows();
        int in = in(), out = out();
        float s = lora.scale();
        LoraGradients.Pair g = grads.of(lora);
        kernels.accumulateAtB(dy, saved.t(), rows, out, r, s, g.b()); // dB[out × r] += s · dyᵀ · t
        float[] dt = new float[rows * r];                                  // dt[T × r] = s · dy · B
        kernels.matmulTransposed(dy, rows, lora.b(), dt);
        for (int i = 0; i < dt.length; i++) {
            dt[i] *= s;
        }
        float[] xd = dropout.apply(saved.x(), rows, in, rowKeys, site);
        kernels.accumulateAtB(dt, xd, rows, r, in, 1f, g.a());           // dA[r × in] += dtᵀ · dropout(x)
        if (dx != null) { // dx += mask ∘ (dt · A) / (1 − p)
            float[] dxd = new float[rows * in];
            kernels.matmulTransposed(dt, rows, lora.a(), dxd);
            float[] masked = dropout.apply(dxd, rows, in, rowKeys, site);
            for (int i = 0; i < rows * in; i++) {
                dx[i] += masked[i];
            }
        }
    }
}
