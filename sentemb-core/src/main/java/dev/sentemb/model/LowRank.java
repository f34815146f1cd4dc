package dev.sentemb.model;

import dev.sentemb.kernel.DenseMatrix;
import dev.sentemb.kernel.Kernels;

/**
 * A LoRA update applied on the fly: y += scale · (x·Aᵀ)·Bᵀ, never forming B·A. Costs r·(in+out)
 * per token instead of in·out, and keeps the base weights untouched (quantized or mapped).
 *
 * @param a     A [r × in]
 * @param b     B [out × r]
 * @param scale lora_alpha / r (or / √r for rsLoRA)
 */
public record LowRank(DenseMatrix a, DenseMatrix b, float scale) {
    public LowRank {
        if (a.rows() != b.cols()) {
            throw new ModelFormatException("LoRA A has rank " + a.rows() + " but B has rank " + b.cols());
        }
    }

    /** out[rows × out] += scale · (x[rows × in]·Aᵀ)·Bᵀ; returns t = x·Aᵀ [rows × r] (what training's backward keeps). */
    float[] addTo(Kernels kernels, float[] x, int rows, float[] out) {
        float[] t = new float[rows * a.rows()];
        kernels.matmul(x, rows, a, t);
        float[] u = new float[rows * b.rows()];
        kernels.matmul(t, rows, b, u);
        for (int i = 0; i < u.length; i++) { // u is exactly rows × out; out may be longer
            out[i] += scale * u[i];
        }
        return t;
    }

    /** W + scale·B·A as a dense matrix (the merged form); W given as its fp32 rows. */
    DenseMatrix mergeInto(float[] w, int out, int in) {
        int r = a.rows();
        float[] ad = a.data();
        float[] bd = b.data();
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < r; k++) {
                float s = scale * bd[o * r + k];
                for (int i = 0; i < in; i++) {
                    w[o * in + i] += s * ad[k * in + i];
                }
            }
        }
        return new DenseMatrix(w, out, in);
    }
}
