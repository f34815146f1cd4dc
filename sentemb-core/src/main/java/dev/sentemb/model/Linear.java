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
        if (bias != null) {
            kernels.addBias(out, rows, bias);
        }
        if (lora != null) {
            lora.addTo(kernels, x, rows, out);
        }
        return out;
    }

    /** Allocates the output and runs {@link #forward}. */
    public float[] forward(Kernels kernels, float[] x, int rows) {
        return forward(kernels, x, rows, new float[rows * out()]);
    }
}
