package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every backward kernel against central finite differences of a double-precision forward: for
 * L(x) = Σ c ∘ op(x) with random c, the kernel's gradient from dy = c must match (L(x+h) − L(x−h)) / 2h
 * element by element.
 */
class BackwardOpsTest {
    static Kernels kernels;

    @BeforeAll
    static void start() {
        kernels = Kernels.vector(2);
    }

    @AfterAll
    static void stop() {
        kernels.close();
    }

    /** Checks grad (float, from the kernel) against finite differences of loss at x. */
    static void check(String what, double[] x, Function<double[], Double> loss, float[] grad) {
        double h = 1e-5;
        double worst = 0;
        double scale = 0;
        for (float g : grad) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double up = loss.apply(x);
            x[i] = keep - h;
            double down = loss.apply(x);
            x[i] = keep;
            double fd = (up - down) / (2 * h);
            worst = Math.max(worst, Math.abs(fd - grad[i]));
        }
        assertTrue(worst <= 1e-3 * Math.max(scale, 1e-3), what + ": worst difference " + worst + " for gradients up to " + scale);
    }

    static double[] random(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    static float[] f(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }

    static double dot(double[] c, double[] y) {
        double s = 0;
        for (int i = 0; i < c.length; i++) {
            s += c[i] * y[i];
        }
        return s;
    }

    @Test
    void rmsNorm() {
        Random r = new Random(1);
        int rows = 5, d = 37;
        double[] x = random(r, rows * d), w = random(r, d), c = random(r, rows * d);
        float eps = 1e-5f;
        float[] dx = new float[x.length];
        kernels.rmsNormBackward(f(x), rows, f(w), eps, f(c), dx);
        check("rmsNorm", x, xx -> {
            double[] y = new double[xx.length];
            for (int t = 0; t < rows; t++) {
                double ss = 0;
                for (int i = 0; i < d; i++) ss += xx[t * d + i] * xx[t * d + i];
                double inv = 1 / Math.sqrt(ss / d + eps);
                for (int i = 0; i < d; i++) y[t * d + i] = xx[t * d + i] * inv * (float) w[i];
            }
            return dot(c, y);
        }, dx);
    }

    @Test
    void swiglu() {
        Random r = new Random(2);
        int n = 53;
        double[] gu = random(r, 2 * n), c = random(r, n);
        float[] dg = new float[n], du = new float[n];
        float[] g = new float[n], u = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) gu[i];
            u[i] = (float) gu[n + i];
        }
        kernels.siluMulBackward(g, u, f(c), dg, du, n);
        float[] grad = new float[2 * n];
        System.arraycopy(dg, 0, grad, 0, n);
        System.arraycopy(du, 0, grad, n, n);
        check("swiglu", gu, v -> {
            double s = 0;
            for (int i = 0; i < n; i++) s += c[i] * v[i] / (1 + Math.exp(-v[i])) * v[n + i];
            return s;
        }, grad);
    }

    @Test
    void layerNorm() {
        Random r = new Random(4);
        int rows = 5, d = 37;
        double[] x = random(r, rows * d), w = random(r, d), b = random(r, d), c = random(r, rows * d);
        float eps = 1e-5f;
        float[] dx = new float[x.length];
        kernels.layerNormBackward(f(x), rows, f(w), eps, f(c), dx);
        check("layerNorm", x, xx -> {
            double s = 0;
            for (int t = 0; t < rows; t++) {
                double mean = 0, var = 0;
                for (int i = 0; i < d; i++) mean += xx[t * d + i] / d;
                for (int i = 0; i < d; i++) var += (xx[t * d + i] - mean) * (xx[t * d + i] - mean) / d;
                double inv = 1 / Math.sqrt(var + eps);
                for (int i = 0; i < d; i++) s += c[t * d + i] * ((xx[t * d + i] - mean) * inv * (float) w[i] + b[i]);
            }
            return s;
        }, dx);
    }

    @Test
    void geglu() {
        Random r = new Random(5);
        int n = 4100; // more than one of the kernel's chunks
        double[] gu = random(r, 2 * n), c = random(r, n);
        float[] dg = new float[n], du = new float[n];
        float[] g = new float[n], u = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) (2 * gu[i]);
            gu[i] = g[i];
            u[i] = (float) gu[n + i];
        }
        kernels.geluTanhMulBackward(g, u, f(c), dg, du, n);
        float[] grad = new float[2 * n];
        System.arraycopy(dg, 0, grad, 0, n);
        System.arraycopy(du, 0, grad, n, n);
        double k = Math.sqrt(2 / Math.PI);
        check("geglu", gu, v -> {
            double s = 0;
            for (int i = 0; i < n; i++) s += c[i] * 0.5 * v[i] * (1 + Math.tanh(k * (v[i] + 0.044715 * v[i] * v[i] * v[i]))) * v[n + i];
            return s;
        }, grad);
        // the forward kernel computes the same gelu the backward differentiates
        float[] fwd = g.clone();
        kernels.geluTanhMul(fwd, u, n);
        for (int i = 0; i < n; i++) {
            double want = 0.5 * g[i] * (1 + Math.tanh(k * (g[i] + 0.044715 * g[i] * g[i] * g[i]))) * u[i];
            assertTrue(Math.abs(fwd[i] - want) <= 1e-5 * (1 + Math.abs(want)), "gelu forward at " + i);
        }
    }

    @Test
    void relu() {
        Random r = new Random(6);
        int n = 61;
        double[] x = random(r, n), c = random(r, n);
        float[] y = f(x);
        kernels.relu(y, n);
        float[] dy = f(c);
        kernels.reluBackward(y, dy, n);
        check("relu", x, xx -> {
            double s = 0;
            for (int i = 0; i < n; i++) s += c[i] * Math.max(xx[i], 0);
            return s;
        }, dy);
    }

    @Test
    void rope() {
        for (RopeStyle style : RopeStyle.values()) {
            Random r = new Random(3);
            int rows = 6, heads = 3, hd = 8;
            int[] positions = {0, 1, 2, 0, 1, 7};
            Rope rope = Rope.of(style, hd, 10000f, 1f, null);
            double[] x = random(r, rows * heads * hd), c = random(r, x.length);
            float[] dx = f(c);
            kernels.ropeBackward(dx, rows, heads, hd, positions, rope);
            check("rope " + style, x, xx -> {
                double s = 0;
                for (int t = 0; t < rows; t++) {
                    for (int h = 0; h < heads; h++) {
                        int base = t * heads * hd + h * hd;
                        for (int i = 0; i < hd / 2; i++) {
                            int i0 = style == RopeStyle.NORM ? base + 2 * i : base + i;
                            int i1 = style == RopeStyle.NORM ? i0 + 1 : i0 + hd / 2;
                            float angle = positions[t] * rope.invFreq()[i];
                            double cos = (float) Math.cos(angle), sin = (float) Math.sin(angle);
                            s += c[i0] * (xx[i0] * cos - xx[i1] * sin) + c[i1] * (xx[i1] * cos + xx[i0] * sin);
                        }
                    }
                }
                return s;
            }, dx);
        }
    }

    @Test
    void matmulTransposedIsTheInputGradientOfMatmul() {
        matmulTransposed(7, 70, 37);  // n spans two panels; k has single vectors and a scalar tail
        matmulTransposed(9, 5, 117);  // k: full tiles, a single vector and a tail; a partial tile of rows
        matmulTransposed(40, 33, 64); // more token tiles than one; k of whole panels (a LoRA rank)
    }

    /** Two callers' input gradients of different shapes through one pool at once: each bitwise what it gives alone. */
    @Test
    void concurrentInputGradientsOfTwoShapesShareThePool() throws Exception {
        Random r = new Random(8);
        int[][] shapes = {{37, 70, 96}, {21, 33, 160}}; // rows, n, k
        float[][] dys = new float[2][], alone = new float[2][];
        DenseMatrix[] ws = new DenseMatrix[2];
        for (int i = 0; i < 2; i++) {
            int[] s = shapes[i];
            dys[i] = f(random(r, s[0] * s[1]));
            ws[i] = new DenseMatrix(f(random(r, s[1] * s[2])), s[1], s[2]);
            alone[i] = new float[s[0] * s[2]];
            kernels.matmulTransposed(dys[i], s[0], ws[i], alone[i]);
        }
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> same = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int c = i;
                same.add(callers.submit(() -> {
                    float[] out = new float[alone[c].length];
                    for (int rep = 0; rep < 200; rep++) {
                        kernels.matmulTransposed(dys[c], shapes[c][0], ws[c], out);
                        if (!java.util.Arrays.equals(out, alone[c])) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            assertTrue(same.get(0).get() && same.get(1).get(), "a concurrent product changed another's result");
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void accumulateAtBIsTheWeightGradientOfMatmul() {
        Random r = new Random(6);
        int rows = 11, n = 13, k = 117;
        double[] w = random(r, n * k), x = random(r, rows * k), c = random(r, rows * n);
        float[] g = new float[n * k];
        g[5] = 2f; // accumulates onto what is there
        kernels.accumulateAtB(f(c), f(x), rows, n, k, 0.5f, g);
        g[5] -= 2f;
        for (int i = 0; i < g.length; i++) {
            g[i] *= 2; // alpha 0.5 above
        }
        check("aᵀb", w, ww -> {
            double s = 0;
            for (int t = 0; t < rows; t++)
                for (int o = 0; o < n; o++) {
                    double y = 0;
                    for (int i = 0; i < k; i++) y += (float) x[t * k + i] * ww[o * k + i];
                    s += c[t * n + o] * y;
                }
            return s;
        }, g);
    }

    private void matmulTransposed(int rows, int n, int k) {
        Random r = new Random(4);
        double[] x = random(r, rows * k), w = random(r, n * k), c = random(r, rows * n);
        float[] dx = new float[rows * k];
        kernels.matmulTransposed(f(c), rows, new DenseMatrix(f(w), n, k), dx);
        check("matmul", x, xx -> {
            double s = 0;
            for (int t = 0; t < rows; t++)
                for (int o = 0; o < n; o++) {
                    double y = 0;
                    for (int i = 0; i < k; i++) y += xx[t * k + i] * (float) w[o * k + i];
                    s += c[t * n + o] * y;
                }
            return s;
        }, dx);
    }

    @Test
    void attention() {
        attention(0);
        attention(3); // a sliding window shorter than the sequences
    }

    private void attention(int window) {
        Random r = new Random(5 + window);
        int heads = 4, kvHeads = 2, hd = 8;
        int[] offsets = {0, 5, 6, 13}; // three packed sequences, one of a single token
        int rows = offsets[3];
        AttentionShape shape = new AttentionShape(heads, kvHeads, hd, (float) (1 / Math.sqrt(hd)), window);
        int qw = heads * hd, kw = kvHeads * hd;
        double[] qkv = random(r, rows * (qw + 2 * kw)), c = random(r, rows * qw);
        float[] q = new float[rows * qw], k = new float[rows * kw], v = new float[rows * kw];
        for (int i = 0; i < q.length; i++) q[i] = (float) qkv[i];
        for (int i = 0; i < k.length; i++) k[i] = (float) qkv[q.length + i];
        for (int i = 0; i < v.length; i++) v[i] = (float) qkv[q.length + k.length + i];
        float[] dq = new float[q.length], dk = new float[k.length], dv = new float[v.length];
        kernels.attentionBackward(q, k, v, offsets, shape, f(c), dq, dk, dv);
        float[] grad = new float[qkv.length];
        System.arraycopy(dq, 0, grad, 0, dq.length);
        System.arraycopy(dk, 0, grad, dq.length, dk.length);
        System.arraycopy(dv, 0, grad, dq.length + dk.length, dv.length);
        int ko = q.length, vo = q.length + k.length;
        check("attention window " + window, qkv, a -> {
            double s = 0;
            for (int seq = 0; seq < 3; seq++) {
                for (int i = offsets[seq]; i < offsets[seq + 1]; i++) {
                    for (int h = 0; h < heads; h++) {
                        int kh = h / (heads / kvHeads);
                        int first = window > 0 ? Math.max(offsets[seq], i + 1 - window) : offsets[seq];
                        double[] sc = new double[i + 1 - first];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = first; j <= i; j++) {
                            double dotp = 0;
                            for (int e = 0; e < hd; e++) dotp += a[i * qw + h * hd + e] * a[ko + j * kw + kh * hd + e];
                            sc[j - first] = dotp * shape.scale();
                            max = Math.max(max, sc[j - first]);
                        }
                        double z = 0;
                        for (int j = 0; j < sc.length; j++) z += sc[j] = Math.exp(sc[j] - max);
                        for (int e = 0; e < hd; e++) {
                            double o = 0;
                            for (int j = first; j <= i; j++) o += sc[j - first] / z * a[vo + j * kw + kh * hd + e];
                            s += c[i * qw + h * hd + e] * o;
                        }
                    }
                }
            }
            return s;
        }, grad);
    }
}
