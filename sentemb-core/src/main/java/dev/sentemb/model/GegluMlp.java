package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;

/** Gemma's gated feed-forward block: down(gelu_tanh(gate(x)) · up(x)). */
public record GegluMlp(Linear gate, Linear up, Linear down) {

    /** x: normalised input [T × d]; returns [T × d]. */
    public float[] forward(Kernels kernels, float[] x, int rows) {
        float[] g = gate.forward(kernels, x, rows); // [T × ffn]
        float[] u = up.forward(kernels, x, rows);   // [T × ffn]
        kernels.geluTanhMul(g, u, g.length);        // g = gelu(g) · u
        return down.forward(kernels, g, rows);      // [T × d]
    }
}
