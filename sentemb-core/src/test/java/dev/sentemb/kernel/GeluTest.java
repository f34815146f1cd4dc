package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** GeGLU with the tanh GELU (PyTorch's approximate="tanh") against a double-precision formula. */
class GeluTest {

    private static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    @Test
    void matchesFormulaOverAWideRange() {
        int n = 10_007; // not a multiple of any vector length: the masked tail is covered
        Random r = new Random(9);
        float[] gate = new float[n];
        float[] up = new float[n];
        for (int i = 0; i < n; i++) {
            gate[i] = (float) (r.nextGaussian() * 4);
            up[i] = (float) r.nextGaussian();
        }
        gate[0] = -30f;
        gate[1] = 30f;
        gate[2] = 0f;
        float[] g = gate.clone();
        try (Kernels kernels = Kernels.vector(2)) {
            kernels.geluTanhMul(g, up, n);
        }
        for (int i = 0; i < n; i++) {
            double want = geluTanh(gate[i]) * up[i];
            assertEquals(want, g[i], 2e-6 * Math.max(1, Math.abs(want)), "at " + i + " x=" + gate[i]);
        }
        assertEquals(0f, g[0], 1e-6f);
        assertEquals(30f * up[1], g[1], 1e-4f);
    }
}
