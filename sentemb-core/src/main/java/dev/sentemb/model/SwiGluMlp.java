package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;

/** The gated feed-forward block: down(silu(gate(x)) · up(x)). */
public record SwiGluMlp(Linear gate, Linear up, Linear down) {

    /** x: normalised input [T × d]; returns [T × d]. */
    public float[] forward(Kernels kernels, float[] x, int rows) {
        float[] g = gate.forward(kernels, x, rows); // [T × ffn]
        float[] u = up.forward(kernels, x, rows);   // [T × ffn]
        kernels.siluMul(g, u, g.length);            // g = silu(g) · u
        return down.forward(kernels, g, rows);      // [T × d]
    }
}
