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

    /**
     * An element gives the same bits whether it falls in a whole vector or in the scalar tail: each gated
     * activation over a row whose length is a multiple of the vector against the same values one at a time
     * (all tail), on values across exp's clamp and signed zeros.
     */
    @Test
    void gatedActivationsTailGivesTheVectorBits() {
        int l = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        int n = 40 * l;
        Random r = new Random(13);
        float[] g = new float[n];
        float[] u = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = switch (i % 10) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> 100f * (r.nextFloat() - 0.5f);
                case 3 -> 1e-40f;
                default -> (float) r.nextGaussian() * 4f;
            };
            u[i] = (float) r.nextGaussian();
        }
        for (int which = 0; which < 2; which++) {
            float[] whole = g.clone();
            float[] single = g.clone();
            if (which == 0) {
                VectorMath.siluMul(whole, u, 0, n);
            } else {
                VectorMath.geluTanhMul(whole, u, 0, n);
            }
            for (int i = 0; i < n; i++) {
                if (which == 0) {
                    VectorMath.siluMul(single, u, i, 1);
                } else {
                    VectorMath.geluTanhMul(single, u, i, 1);
                }
            }
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(whole[i]), Float.floatToRawIntBits(single[i]),
                        (which == 0 ? "silu" : "gelu") + " at " + g[i]);
            }
        }
    }

    /** The cached cos/sin table gives the bits of the fp32 angle computed per row, while it grows and past its cap. */
    @Test
    void ropeTableGivesTheBitsOfThePerRowAngles() {
        int heads = 3, hd = 16;
        int[] pos = {0, 1, 63, 64, 65, 200, 5000, Rope.MAX_TABLE_POSITIONS - 1, Rope.MAX_TABLE_POSITIONS, 40000, 7};
        int rows = pos.length;
        float[] x = MatmulTest.random(new Random(5), rows * heads * hd);
        for (RopeStyle style : RopeStyle.values()) {
            Rope rope = Rope.of(style, hd, 10000f, 1f, null);
            float[] inv = rope.invFreq();
            for (int[] order : new int[][] {pos, {7, 3, 1, 0, 2, 9, 1, 1, 100, 5, 4}}) { // a fresh table grows in steps
                for (float sign : new float[] {1f, -1f}) {
                    float[] y = x.clone();
                    if (sign == 1f) {
                        rope.apply(y, 0, rows, heads, hd, order);
                    } else {
                        rope.applyTransposed(y, 0, rows, heads, hd, order);
                    }
                    for (int t = 0; t < rows; t++) {
                        for (int h = 0; h < heads; h++) {
                            int base = (t * heads + h) * hd;
                            for (int i = 0; i < hd / 2; i++) {
                                float angle = (float) order[t] * inv[i];
                                float c = (float) Math.cos(angle);
                                float s = sign * (float) Math.sin(angle);
                                int a = style == RopeStyle.NORM ? base + 2 * i : base + i;
                                int b = style == RopeStyle.NORM ? a + 1 : a + hd / 2;
                                assertEquals(Float.floatToRawIntBits(x[a] * c - x[b] * s), Float.floatToRawIntBits(y[a]), style + " pos " + order[t]);
                                assertEquals(Float.floatToRawIntBits(x[b] * c + x[a] * s), Float.floatToRawIntBits(y[b]), style + " pos " + order[t]);
                            }
                        }
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
