package dev.sentemb.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prefill matmul {@code out[T×N] = x[T×K] · Wᵀ} for a weight W[N×K] in any encoding.
 *
 * <p>Work is split over N into panels of {@link #NR} weight rows. A thread claims a panel, decodes its
 * rows once into fp32 and repacks them k-major ({@code panel[k][j]}), then sweeps every token of the
 * batch through a register-tiled micro-kernel: {@link #MR} tokens × {@code NR} columns held in
 * {@code MR·NV} vector accumulators, one broadcast of x and {@code NV} panel loads per k. The activations
 * are packed once per call into MR-token tiles ({@code a[tile][k][r]}) so the micro-kernel reads both
 * operands sequentially.
 *
 * <p>Every output element is summed over k in the same order whatever T is and wherever its row sits in
 * a tile (padding rows are zeros and are never stored), so a token's result does not depend on what
 * else is in the batch: packed batches are bitwise batch-invariant.
 */
final class Matmul {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Tokens per micro-tile. */
    static final int MR = 4;
    /** Vectors per micro-tile row. */
    static final int NV = 3;
    /** Weight rows (output columns) per panel. */
    static final int NR = NV * L;

    private Matmul() {}

    static void matmul(Parallel parallel, float[] x, int rows, WeightMatrix w, float[] out) {
        int n = w.rows();
        int k = w.cols();
        if ((long) rows * k > x.length || (long) rows * n > out.length) {
            throw new IllegalArgumentException("matmul shapes: x has " + x.length + " values for " + rows + "x" + k
                    + ", out has " + out.length + " for " + rows + "x" + n);
        }
        if (rows == 0) {
            return;
        }
        float[] a = packActivations(x, rows, k);
        int tiles = (rows + MR - 1) / MR;
        int panels = (n + NR - 1) / NR;
        // per thread: decoded weight rows [NR × K] and the k-major panel [K × NR]
        parallel.forEach(panels, () -> new float[][] {new float[NR * k], new float[NR * k]}, (scratch, p) -> {
            float[] decoded = scratch[0];
            float[] panel = scratch[1];
            int n0 = p * NR;
            int nr = Math.min(NR, n - n0);
            w.decodeRows(n0, nr, decoded, 0);
            packPanel(decoded, nr, k, panel);
            for (int t = 0; t < tiles; t++) {
                microKernel(a, t * MR * k, panel, k, out, t * MR, rows, n0, nr, n);
            }
        });
    }

    /** x[T×K] → a[tile][k][r], r < MR; rows past T are zero. */
    static float[] packActivations(float[] x, int rows, int k) {
        int tiles = (rows + MR - 1) / MR;
        float[] a = new float[tiles * MR * k];
        for (int t = 0; t < rows; t++) {
            int base = (t / MR) * MR * k + (t % MR);
            int src = t * k;
            for (int kk = 0; kk < k; kk++) {
                a[base + kk * MR] = x[src + kk];
            }
        }
        return a;
    }

    /** decoded[j][k] (nr rows) → panel[k][j] with NR columns; columns past nr are zero. */
    static void packPanel(float[] decoded, int nr, int k, float[] panel) {
        if (nr < NR) {
            java.util.Arrays.fill(panel, 0, NR * k, 0f);
        }
        for (int j = 0; j < nr; j++) {
            int src = j * k;
            for (int kk = 0; kk < k; kk++) {
                panel[kk * NR + j] = decoded[src + kk];
            }
        }
    }

    /** out[t0..t0+MR, n0..n0+nr] = a-tile · panel, storing only rows < rows and columns < nr. */
    private static void microKernel(float[] a, int aOff, float[] b, int k, float[] out, int t0, int rows, int n0, int nr, int n) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        for (int kk = 0, ai = aOff, bi = 0; kk < k; kk++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
            FloatVector x0 = FloatVector.broadcast(S, a[ai]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
            c02 = b2.fma(x0, c02);
            FloatVector x1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = b0.fma(x1, c10);
            c11 = b1.fma(x1, c11);
            c12 = b2.fma(x1, c12);
            FloatVector x2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = b0.fma(x2, c20);
            c21 = b1.fma(x2, c21);
            c22 = b2.fma(x2, c22);
            FloatVector x3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = b0.fma(x3, c30);
            c31 = b1.fma(x3, c31);
            c32 = b2.fma(x3, c32);
        }
        int valid = Math.min(MR, rows - t0);
        if (nr == NR) {
            store(out, t0 * n + n0, c00, c01, c02);
            if (valid > 1) store(out, (t0 + 1) * n + n0, c10, c11, c12);
            if (valid > 2) store(out, (t0 + 2) * n + n0, c20, c21, c22);
            if (valid > 3) store(out, (t0 + 3) * n + n0, c30, c31, c32);
        } else {
            float[] tile = new float[MR * NR];
            store(tile, 0, c00, c01, c02);
            store(tile, NR, c10, c11, c12);
            store(tile, 2 * NR, c20, c21, c22);
            store(tile, 3 * NR, c30, c31, c32);
            for (int r = 0; r < valid; r++) {
                System.arraycopy(tile, r * NR, out, (t0 + r) * n + n0, nr);
            }
        }
    }

    private static void store(float[] out, int off, FloatVector v0, FloatVector v1, FloatVector v2) {
        v0.intoArray(out, off);
        v1.intoArray(out, off + L);
        v2.intoArray(out, off + 2 * L);
    }
}
