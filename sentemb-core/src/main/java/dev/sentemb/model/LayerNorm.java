package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;

/** LayerNorm with gain and bias (OPT; both default to 1 and 0 without elementwise affine). */
public record LayerNorm(float[] weight, float[] bias, float eps) {

    /** Returns a new [rows × dim] array. */
    public float[] apply(Kernels kernels, float[] x, int rows) {
        return apply(kernels, x, rows, new float[rows * weight.length]);
    }

    /** Writes the [rows × dim] result into {@code out} (at least that long) and returns it. */
    public float[] apply(Kernels kernels, float[] x, int rows, float[] out) {
        kernels.layerNorm(x, rows, weight, bias, eps, out);
        return out;
    }
}
