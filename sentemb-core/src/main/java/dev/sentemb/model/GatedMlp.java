package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;

/**
 * The gated feed-forward block down(act(gate(x)) · up(x)): SwiGLU (llama, qwen2) with silu, GeGLU
 * (Gemma) with the tanh-approximated gelu.
 */
public record GatedMlp(Linear gate, Linear up, Linear down, Activation activation) {
    /** The gate's nonlinearity. */
    public enum Activation { SILU, GELU_TANH }

    /** x: normalised input [T × d]; returns [T × d], the pass's MLP_OUT buffer (at least that long). */
    float[] forward(Kernels kernels, float[] x, int rows, Workspace ws) {
        int width = rows * gate.out();
        float[] g = gate.forward(kernels, x, rows, ws.get(Workspace.Buffer.GATE, width)); // [T × ffn]
        float[] u = up.forward(kernels, x, rows, ws.get(Workspace.Buffer.UP, width));     // [T × ffn]
        switch (activation) {                                                             // g = act(g) · u
            case SILU -> kernels.siluMul(g, u, width);
            case GELU_TANH -> kernels.geluTanhMul(g, u, width);
        }
        return down.forward(kernels, g, rows, ws.get(Workspace.Buffer.MLP_OUT, rows * down.out())); // [T × d]
    }
}
