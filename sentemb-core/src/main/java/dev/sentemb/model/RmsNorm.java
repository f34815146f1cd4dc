package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;

/** RMSNorm with a learned gain: y = x / sqrt(mean(x²) + eps) · weight, row by row. */
public record RmsNorm(float[] weight, float eps) {

    public int dim() {
        return weight.length;
    }

    /** Returns a new [rows × dim] array. */
    public float[] apply(Kernels kernels, float[] x, int rows) {
        return apply(kernels, x, rows, new float[rows * weight.length]);
    }

    /** Writes the [rows × dim] result into {@code out} (at least that long) and returns it. */
    public float[] apply(Kernels kernels, float[] x, int rows, float[] out) {
        kernels.rmsNorm(x, rows, weight, eps, out);
        return out;
    }
}
