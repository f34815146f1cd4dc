package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;

/** RMSNorm with a learned gain: y = x / sqrt(mean(x²) + eps) · weight, row by row. */
public record RmsNorm(float[] weight, float eps) {

    public int dim() {
        return weight.length;
    }

    /** Returns a new [rows × dim] array. */
    public float[] apply(Kernels kernels, float[] x, int rows) {
        float[] out = new float[rows * weight.length];
        kernels.rmsNorm(x, rows, weight, eps, out);
        return out;
    }
}
