package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RMSNorm, SwiGLU, bias, residual and RoPE against scalar references. */
class RowOpsTest {
    static Kernels kernels;

    @BeforeAll
    static void start() {
        kernels = Kernels.vector(2);
    }

    @AfterAll
    static void stop() {
        kernels.close();
    }

    @Test
    void rmsNorm() {
        Random r = new Random(1);
        int rows = 9, width = 37;
        float[] x = MatmulTest.random(r, rows * width);
        float[] w = MatmulTest.random(r, width);
        float[] out = new float[x.length];
        kernels.rmsNorm(x, rows, w, 1e-5f, out);
        for (int t = 0; t < rows; t++) {
            double ss = 0;
            for (int i = 0; i < width; i++) ss += x[t * width + i] * (double) x[t * width + i];
            double inv = 1 / Math.sqrt(ss / width + 1e-5);
            for (int i = 0; i < width; i++) {
                assertEquals(x[t * width + i] * inv * w[i], out[t * width + i], 1e-5, "row " + t + " col " + i);
            }
        }
    }

    @Test
    void siluMulAddAndBias() {
        Random r = new Random(2);
        int n = 1000 + 3;
        float[] g = MatmulTest.random(r, n);
        float[] u = MatmulTest.random(r, n);
        float[] g0 = g.clone();
        kernels.siluMul(g, u, n);
        for (int i = 0; i < n; i++) {
            double s = g0[i] / (1 + Math.exp(-g0[i]));
            assertEquals(s * u[i], g[i], 1e-5 * (1 + Math.abs(s * u[i])), "silu at " + i);
        }
        float[] d = MatmulTest.random(r, n);
        float[] d0 = d.clone();
        kernels.add(d, u, n);
        for (int i = 0; i < n; i++) assertEquals(d0[i] + u[i], d[i], 0f);
        float[] x = MatmulTest.random(r, 5 * 17);
        float[] x0 = x.clone();
        float[] b = MatmulTest.random(r, 17);
        kernels.addBias(x, 5, b);
        for (int i = 0; i < x.length; i++) assertEquals(x0[i] + b[i % 17], x[i], 0f);
    }

    @Test
    void ropeNormRotatesAdjacentPairsAndNeoxRotatesHalves() {
        int heads = 2, hd = 8;
        float[] x = MatmulTest.random(new Random(3), 3 * heads * hd);
        int[] pos = {0, 5, 17};
        for (RopeStyle style : RopeStyle.values()) {
            Rope rope = Rope.of(style, hd, 10000f, 1f, null);
            float[] y = x.clone();
            kernels.rope(y, 3, heads, hd, pos, rope);
            for (int t = 0; t < 3; t++) {
                for (int h = 0; h < heads; h++) {
                    int base = (t * heads + h) * hd;
                    for (int i = 0; i < hd / 2; i++) {
                        double theta = pos[t] * Math.pow(10000, -2.0 * i / hd);
                        int a = style == RopeStyle.NORM ? base + 2 * i : base + i;
                        int b = style == RopeStyle.NORM ? a + 1 : a + hd / 2;
                        assertEquals(x[a] * Math.cos(theta) - x[b] * Math.sin(theta), y[a], 1e-4, style + " t" + t + " i" + i);
                        assertEquals(x[b] * Math.cos(theta) + x[a] * Math.sin(theta), y[b], 1e-4, style + " t" + t + " i" + i);
                    }
                }
            }
        }
    }

    @Test
    void polynomialExpIsWithinThreeUlpOverTheNormalRange() {
        int l = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[l];
        float[] y = new float[l];
        double worst = 0;
        Random r = new Random(9);
        for (int rep = 0; rep < 20000; rep++) {
            for (int i = 0; i < l; i++) x[i] = rep < 10 ? -87f + 175f * i / l : -87f + 175f * r.nextFloat();
            VectorMath.exp(jdk.incubator.vector.FloatVector.fromArray(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, x, 0)).intoArray(y, 0);
            for (int i = 0; i < l; i++) {
                double want = Math.exp(x[i]);
                double ulps = Math.abs(y[i] - want) / Math.ulp((float) want);
                worst = Math.max(worst, ulps);
                assertTrue(ulps <= 3, "exp(" + x[i] + ") = " + y[i] + " vs " + want);
            }
        }
        System.out.printf("polynomial exp: worst error %.2f ulp%n", worst);
    }

    @Test
    void softmaxSumsToOneAndMatchesReference() {
        float[] x = MatmulTest.random(new Random(10), 45);
        for (int i = 0; i < x.length; i++) x[i] *= 8;
        float[] y = x.clone();
        VectorMath.softmax(y, 0, y.length);
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : x) max = Math.max(max, v);
        for (float v : x) sum += Math.exp(v - max);
        for (int i = 0; i < x.length; i++) assertEquals(Math.exp(x[i] - max) / sum, y[i], 1e-6, "at " + i);
    }

    @Test
    void ropeRejectsOddDims() {
        assertThrows(IllegalArgumentException.class, () -> new Rope(RopeStyle.NEOX, 7, new float[3]));
    }
}
