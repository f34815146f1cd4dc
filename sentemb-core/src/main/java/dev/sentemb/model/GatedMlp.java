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
        float[] g = ws.get(Workspace.Buffer.GATE, width); // [T × ffn]
        float[] u = ws.get(Workspace.Buffer.UP, width);   // [T × ffn]
        Linear.forwardAll(kernels, x, rows, new Linear[] {gate, up}, new float[][] {g, u});
        switch (activation) {                                                             // g = act(g) · u
            case SILU -> kernels.siluMul(g, u, width);
            case GELU_TANH -> kernels.geluTanhMul(g, u, width);
        }
        return down.forward(kernels, g, rows, ws.get(Workspace.Buffer.MLP_OUT, rows * down.out())); // [T × d]
    }

    /** A training forward's keepings: the projections', and the gate and up outputs before the activation. */
    record Saved(Linear.Saved gate, Linear.Saved up, Linear.Saved down, float[] g, float[] u) {}

    /** Training forward: writes [T × d] into {@code out}; LoRA sites {@code site} .. site+2 (gate, up, down). */
    Saved forwardTrain(Kernels kernels, float[] x, int rows, float[] out, Pass pass, int site) {
        int width = rows * gate.out();
        float[] g = new float[width];
        float[] u = new float[width];
        Linear.Saved sg = gate.forwardTrain(kernels, x, rows, g, pass.dropout(), pass.rowKeys(), site);
        Linear.Saved su = up.forwardTrain(kernels, x, rows, u, pass.dropout(), pass.rowKeys(), site + 1);
        float[] h = g.clone();
        switch (activation) { // h = act(g) · u
            case SILU -> kernels.siluMul(h, u, width);
            case GELU_TANH -> kernels.geluTanhMul(h, u, width);
        }
        Linear.Saved sd = down.forwardTrain(kernels, h, rows, out, pass.dropout(), pass.rowKeys(), site + 2);
        return new Saved(sg, su, sd, g, u);
    }

    /** Backward: dOut [T × d] → dx [T × d] (overwritten; null: not formed); down, the gated product, then gate + up. */
    void backward(Kernels kernels, Saved saved, int rows, float[] dOut, float[] dx, Pass pass, int site) {
        int width = rows * gate.out();
        float[] dh = new float[width];
        down.backward(kernels, saved.down(), rows, dOut, dh, pass.dropout(), pass.rowKeys(), site + 2, pass.grads());
        float[] dg = new float[width];
        float[] du = new float[width];
        switch (activation) {
            case SILU -> kernels.siluMulBackward(saved.g(), saved.u(), dh, dg, du, width);
            case GELU_TANH -> kernels.geluTanhMulBackward(saved.g(), saved.u(), dh, dg, du, width);
        }
        gate.backward(kernels, saved.gate(), rows, dg, dx, pass.dropout(), pass.rowKeys(), site, pass.grads());
        float[] part = dx == null ? null : new float[rows * up.in()];
        up.backward(kernels, saved.up(), rows, du, part, pass.dropout(), pass.rowKeys(), site + 1, pass.grads());
        if (dx != null) {
            kernels.add(dx, part, rows * up.in());
        }
    }
}
