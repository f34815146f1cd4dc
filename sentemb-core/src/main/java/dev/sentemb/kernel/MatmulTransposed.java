package dev.sentemb.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two products backpropagation adds to the forward's {@code x · Wᵀ}, on one register-tiled kernel:
 *
 * <ul>
 *   <li>{@link #multiply}: the input gradient of a linear layer, {@code out[T×K] = dy[T×N] · W} for a frozen
 *       W[N×K] in any encoding, never expanded: each thread decodes {@link #PANEL} rows at a time (row-major,
 *       so a decoded row is already k-contiguous, exactly what the tile reads) and sweeps its own block of
 *       tokens through them. Threads split the tokens, so none writes another's output; each decodes the
 *       whole matrix once (~1 ns a weight against 2·T flops a weight: a few percent at training's
 *       hundreds of tokens per micro-batch).</li>
 *   <li>{@link #accumulateAtB}: a weight gradient {@code G[N×K] += α · aᵀ · b} from a[T×N] and b[T×K], summed
 *       over the tokens without transposing either; threads split G's rows.</li>
 * </ul>
 *
 * The tile is 4 output rows × {@link #NV} vectors (12 accumulators on AVX-512, 8 on AVX2's 16 registers),
 * accumulating over the reduction index one broadcast per row. It is not the forward's tile: these
 * products read rows of W (or of b) as they lie, k-contiguous, and were measured with this shape.
 */
final class MatmulTransposed {
    private static final VectorSpecies<Float> S = Matmul.S;
    private static final int L = S.length();
    /** Rows per tile. */
    private static final int MR = 4;
    /** Vectors per tile row: 3 where there are 32 vector registers, 2 on AVX2's 16 (its tiles keep 4·NV + NV + 1 live). */
    private static final int NV = L == 8 ? 2 : 3;
    /** Weight rows decoded at once: 64 rows of K ≤ 8,960 floats stay within L2. */
    static final int PANEL = 64;

    private MatmulTransposed() {}

    static void multiply(Parallel parallel, float[] dy, int rows, WeightMatrix w, float[] out) {
        int n = w.rows();
        int k = w.cols();
        if ((long) rows * n > dy.length || (long) rows * k > out.length) {
            throw new IllegalArgumentException("matmulTransposed shapes: dy has " + dy.length + " values for " + rows + "x" + n
                    + ", out has " + out.length + " for " + rows + "x" + k);
        }
        java.util.Arrays.fill(out, 0, rows * k, 0f);
        if (rows == 0) {
            return;
        }
        int tiles = (rows + MR - 1) / MR;
        int chunks = Math.min(parallel.threads(), tiles);
        parallel.forEach(chunks, () -> new float[PANEL * k], (panel, c) -> {
            int t0 = (int) ((long) tiles * c / chunks) * MR;
            int t1 = Math.min(rows, (int) ((long) tiles * (c + 1) / chunks) * MR);
            for (int n0 = 0; n0 < n; n0 += PANEL) {
                int nr = Math.min(PANEL, n - n0);
                w.decodeRows(n0, nr, panel, 0);
                for (int t = t0; t < t1; t += MR) {
                    // out rows t.. += Σ_j dy[t][n0 + j] · panel[j][·]: x(row r, j) = dy[(t + r)·n + n0 + j]
                    rows(dy, t * n + n0, n, 1, Math.min(MR, t1 - t), nr, panel, 0, k, k, 1f, out, t * k);
                }
            }
        });
    }

    /** G[n × k] += α · aᵀ · b for a [T × n] and b [T × k], all row-major. */
    static void accumulateAtB(Parallel parallel, float[] a, float[] b, int tokens, int n, int k, float alpha, float[] g) {
        if ((long) tokens * n > a.length || (long) tokens * k > b.length || (long) n * k > g.length) {
            throw new IllegalArgumentException("aᵀb shapes: a " + a.length + " for " + tokens + "x" + n + ", b " + b.length + " for "
                    + tokens + "x" + k + ", g " + g.length + " for " + n + "x" + k);
        }
        if (tokens == 0) {
            return;
        }
        int tiles = (n + MR - 1) / MR;
        int chunks = Math.min(parallel.threads() * 4, tiles);
        parallel.forEach(chunks, c -> {
            int r0 = (int) ((long) tiles * c / chunks) * MR;
            int r1 = Math.min(n, (int) ((long) tiles * (c + 1) / chunks) * MR);
            for (int r = r0; r < r1; r += MR) {
                // G rows r.. += α Σ_t a[t][r + i] · b[t][·]: x(row i, t) = a[t·n + r + i]
                rows(a, r, 1, n, Math.min(MR, r1 - r), tokens, b, 0, k, k, alpha, g, r * k);
            }
        });
    }

    /**
     * dst[dstOff + i·width + c] += α · Σ_j x[x0 + i·xRow + j·xRed] · b[b0 + j·bStride + c] for rows i &lt; valid,
     * reductions j &lt; red and columns c &lt; width: tiles of NV vectors, then single vectors, then a scalar tail.
     */
    private static void rows(float[] x, int x0, int xRow, int xRed, int valid, int red, float[] b, int b0, int bStride, int width,
            float alpha, float[] dst, int dstOff) {
        int x1 = x0 + Math.min(1, valid - 1) * xRow;
        int x2 = x0 + Math.min(2, valid - 1) * xRow;
        int x3 = x0 + Math.min(3, valid - 1) * xRow;
        int c = 0;
        for (; c + NV * L <= width; c += NV * L) {
            if (NV == 3) {
                tile3(x, x0, x1, x2, x3, xRed, red, b, b0 + c, bStride, alpha, dst, dstOff + c, width, valid);
            } else {
                tile2(x, x0, x1, x2, x3, xRed, red, b, b0 + c, bStride, alpha, dst, dstOff + c, width, valid);
            }
        }
        for (; c + L <= width; c += L) {
            tile1(x, x0, x1, x2, x3, xRed, red, b, b0 + c, bStride, alpha, dst, dstOff + c, width, valid);
        }
        for (; c < width; c++) {
            for (int i = 0; i < valid; i++) {
                int xi = x0 + i * xRow;
                float s = 0;
                for (int j = 0; j < red; j++) {
                    s += x[xi + j * xRed] * b[b0 + j * bStride + c];
                }
                dst[dstOff + i * width + c] += alpha * s;
            }
        }
    }

    private static void tile3(float[] x, int x0, int x1, int x2, int x3, int xRed, int red, float[] b, int bi, int bStride,
            float alpha, float[] dst, int d, int width, int valid) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        for (int j = 0; j < red; j++, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
            int o = j * xRed;
            FloatVector v = FloatVector.broadcast(S, x[x0 + o]);
            c00 = b0.fma(v, c00);
            c01 = b1.fma(v, c01);
            c02 = b2.fma(v, c02);
            v = FloatVector.broadcast(S, x[x1 + o]);
            c10 = b0.fma(v, c10);
            c11 = b1.fma(v, c11);
            c12 = b2.fma(v, c12);
            v = FloatVector.broadcast(S, x[x2 + o]);
            c20 = b0.fma(v, c20);
            c21 = b1.fma(v, c21);
            c22 = b2.fma(v, c22);
            v = FloatVector.broadcast(S, x[x3 + o]);
            c30 = b0.fma(v, c30);
            c31 = b1.fma(v, c31);
            c32 = b2.fma(v, c32);
        }
        add(dst, d, alpha, c00);
        add(dst, d + L, alpha, c01);
        add(dst, d + 2 * L, alpha, c02);
        if (valid > 1) {
            add(dst, d + width, alpha, c10);
            add(dst, d + width + L, alpha, c11);
            add(dst, d + width + 2 * L, alpha, c12);
        }
        if (valid > 2) {
            add(dst, d + 2 * width, alpha, c20);
            add(dst, d + 2 * width + L, alpha, c21);
            add(dst, d + 2 * width + 2 * L, alpha, c22);
        }
        if (valid > 3) {
            add(dst, d + 3 * width, alpha, c30);
            add(dst, d + 3 * width + L, alpha, c31);
            add(dst, d + 3 * width + 2 * L, alpha, c32);
        }
    }

    private static void tile2(float[] x, int x0, int x1, int x2, int x3, int xRed, int red, float[] b, int bi, int bStride,
            float alpha, float[] dst, int d, int width, int valid) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int j = 0; j < red; j++, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            int o = j * xRed;
            FloatVector v = FloatVector.broadcast(S, x[x0 + o]);
            c00 = b0.fma(v, c00);
            c01 = b1.fma(v, c01);
            v = FloatVector.broadcast(S, x[x1 + o]);
            c10 = b0.fma(v, c10);
            c11 = b1.fma(v, c11);
            v = FloatVector.broadcast(S, x[x2 + o]);
            c20 = b0.fma(v, c20);
            c21 = b1.fma(v, c21);
            v = FloatVector.broadcast(S, x[x3 + o]);
            c30 = b0.fma(v, c30);
            c31 = b1.fma(v, c31);
        }
        add(dst, d, alpha, c00);
        add(dst, d + L, alpha, c01);
        if (valid > 1) {
            add(dst, d + width, alpha, c10);
            add(dst, d + width + L, alpha, c11);
        }
        if (valid > 2) {
            add(dst, d + 2 * width, alpha, c20);
            add(dst, d + 2 * width + L, alpha, c21);
        }
        if (valid > 3) {
            add(dst, d + 3 * width, alpha, c30);
            add(dst, d + 3 * width + L, alpha, c31);
        }
    }

    private static void tile1(float[] x, int x0, int x1, int x2, int x3, int xRed, int red, float[] b, int bi, int bStride,
            float alpha, float[] dst, int d, int width, int valid) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int j = 0; j < red; j++, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            int o = j * xRed;
            c0 = b0.fma(FloatVector.broadcast(S, x[x0 + o]), c0);
            c1 = b0.fma(FloatVector.broadcast(S, x[x1 + o]), c1);
            c2 = b0.fma(FloatVector.broadcast(S, x[x2 + o]), c2);
            c3 = b0.fma(FloatVector.broadcast(S, x[x3 + o]), c3);
        }
        add(dst, d, alpha, c0);
        if (valid > 1) {
            add(dst, d + width, alpha, c1);
        }
        if (valid > 2) {
            add(dst, d + 2 * width, alpha, c2);
        }
        if (valid > 3) {
            add(dst, d + 3 * width, alpha, c3);
        }
    }

    private static void add(float[] dst, int o, float alpha, FloatVector v) {
        FloatVector.fromArray(S, dst, o).add(v.mul(alpha)).intoArray(dst, o);
    }
}
