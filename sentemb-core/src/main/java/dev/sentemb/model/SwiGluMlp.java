package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;

/** The gated feed-forward block: down(silu(gate(x)) · up(x)). */
public record SwiGluMlp(Linear gate, Linear up, Linear down) {

    /** x: normalised input [T × d]; returns [T × d]. */
    public float[] forward(Kernels kernels, float[] x, int rows) {
        return forward(kernels, x, rows, new Workspace());
    }

    /** As above in the pass's workspace: the result is its MLP_OUT buffer (at least T × d long). */
    float[] forward(Kernels kernels, float[] x, int rows, Workspace ws) {
        int width = rows * gate.out();
        float[] g = gate.forward(kernels, x, rows, ws.get(Workspace.Buffer.GATE, width)); // [T × ffn]
        float[] u = up.forward(kernels, x, rows, ws.get(Workspace.Buffer.UP, width));     // [T × ffn]
        kernels.siluMul(g, u, width);                                                         // g = silu(g) · u
        return down.forward(kernels, g, rows, ws.get(Workspace.Buffer.MLP_OUT, rows * down.out())); // [T × d]
    }
}
