package dev.sentemb.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two products backpropagation adds to the forward's {@code x · Wᵀ}:
 *
 * <ul>
 *   <li>{@link #multiply}: the input gradient of a linear layer, {@code out[T×K] = dy[T×N] · W} for a frozen
 *       W[N×K] in any encoding, never expanded. It runs on the forward's own micro-tiles ({@link Matmul#tile}):
 *       the product's "panel" for output columns c.. is W[0..N, c..c+NR], which a row-major W already holds
 *       k-contiguous, so a thread decodes a block-aligned strip of W's columns for every row (each weight
 *       once: {@link WeightMatrix#decodeColumns}), lays it out as the tiles read a panel and sweeps the tokens
 *       through it, reducing over all N at once. Threads split the column strips (and the tokens where
 *       strips are few), so none writes another's output.</li>
 *   <li>{@link #accumulateAtB}: a weight gradient {@code G[N×K] += α · aᵀ · b} from a[T×N] and b[T×K], summed
 *       over the tokens without transposing either; threads split G's rows. Its tile is 4 output rows ×
 *       {@link #NV} vectors (12 accumulators on AVX-512, 8 on AVX2's 16 registers), one broadcast per row.</li>
 * </ul>
 */
final class MatmulTransposed {
    private static final VectorSpecies<Float> S = Matmul.S;
    private static final int L = S.length();
    /** Rows per {@link #accumulateAtB} tile. */
    private static final int MR = 4;
    /** Vectors per tile row: 3 where there are 32 vector registers, 2 on AVX2's 16 (its tiles keep 4·NV + NV + 1 live). */
    private static final int NV = L == 8 ? 2 : 3;
    /** Columns of the forward tile's panel. */
    private static final int NR = Matmul.NR;
    /** Weight rows decoded per call while a strip is laid out. */
    private static final int CHUNK = 64;

    private MatmulTransposed() {}

    static void multiply(Parallel parallel, float[] dy, int rows, WeightMatrix w, float[] out) {
        int n = w.rows();
        int k = w.cols();
        if ((long) rows * n > dy.length || (long) rows * k > out.length) {
            throw new IllegalArgumentException("matmulTransposed shapes: dy has " + dy.length + " values for " + rows + "x" + n
                    + ", out has " + out.length + " for " + rows + "x" + k);
        }
        if (rows == 0) {
            return;
        }
        int width = stripWidth(w.blockWidth(), k);
        int strips = Math.ceilDiv(k, width);
        int rowBlocks = Math.max(1, Math.min(Math.ceilDiv(rows, 4 * Matmul.MR), Math.ceilDiv(2 * parallel.threads(), strips)));
        int blockRows = Math.ceilDiv(Math.ceilDiv(rows, rowBlocks), Matmul.MR) * Matmul.MR;
        int blocks = Math.ceilDiv(rows, blockRows);
        int panels = Math.ceilDiv(width, NR);
        parallel.forEach(strips * blocks, () -> Strip.get(n, width, panels), (strip, item) -> {
            int c0 = (item % strips) * width;
            int from = (item / strips) * blockRows;
            strip.load(w, c0, Math.min(width, k - c0), panels);
            for (int p = 0; p < panels && c0 + p * NR < k; p++) {
                int col = c0 + p * NR;
                int cols = Math.min(NR, k - col);
                MemorySegment panel = strip.panel(p, n);
                for (int t0 = from, to = Math.min(rows, from + blockRows); t0 < to; ) {
                    int m = Matmul.tileRows(to - t0);
                    if (cols == NR) {
                        Matmul.tile(m, dy, n, panel, t0, rows, out, t0 * k + col, k);
                    } else { // the last, narrower panel: a full tile into scratch, then its columns
                        Matmul.tile(m, dy, n, panel, t0, rows, strip.edge, 0, NR);
                        for (int r = 0; r < Math.min(m, rows - t0); r++) {
                            System.arraycopy(strip.edge, r * NR, out, (t0 + r) * k + col, cols);
                        }
                    }
                    t0 += m;
                }
            }
        });
    }

    /** Columns a thread decodes at once: whole blocks of the encoding and whole panels (the row's rest at its end). */
    static int stripWidth(int block, int k) {
        int b = Math.max(1, Math.min(block, k));
        int lcm = b / gcd(b, NR) * NR;
        return Math.min(lcm, Math.ceilDiv(k, NR) * NR);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * A thread's strip of W: columns c0 .. c0+width of every row, laid out as forward panels ([N × NR] each,
     * row n's NR values together; columns past the matrix zero) in a 64-byte aligned segment. Kept per
     * thread and grown on demand, so a backward pass allocates none of it; it holds no shape of its own (each
     * item passes its matrix's), so a thread may serve the items of two products in turn.
     */
    private static final class Strip {
        private static final ThreadLocal<Strip> OF_THREAD = new ThreadLocal<>();
        private final float[] decoded;
        private final float[] staged;
        private final MemorySegment segment;
        final float[] edge = new float[Matmul.MR * NR];

        private Strip(int decodedSize, int stagedSize) {
            decoded = new float[decodedSize];
            staged = new float[stagedSize];
            segment = Arena.ofAuto().allocate((long) stagedSize * Float.BYTES, 64);
        }

        /** This thread's strip, able to hold {@code panels} panels of {@code n} rows. */
        static Strip get(int n, int width, int panels) {
            Strip s = OF_THREAD.get();
            if (s == null || s.decoded.length < CHUNK * width || s.staged.length < panels * n * NR) {
                int d = Math.max(CHUNK * width, s == null ? 0 : s.decoded.length);
                int st = Math.max(panels * n * NR, s == null ? 0 : s.staged.length);
                s = new Strip(d, st);
                OF_THREAD.set(s);
            }
            return s;
        }

        /** Decodes columns c0 .. c0+cols of every row of w and lays them out as {@code panels} panels. */
        void load(WeightMatrix w, int c0, int cols, int panels) {
            int n = w.rows();
            int size = panels * n * NR;
            if (cols < panels * NR) {
                java.util.Arrays.fill(staged, 0, size, 0f);
            }
            for (int r0 = 0; r0 < n; r0 += CHUNK) {
                int count = Math.min(CHUNK, n - r0);
                if (cols == NR && panels == 1) { // one full panel: decoded rows are already its layout
                    w.decodeColumns(r0, count, c0, cols, staged, r0 * NR);
                    continue;
                }
                w.decodeColumns(r0, count, c0, cols, decoded, 0);
                for (int p = 0; p * NR < cols; p++) {
                    int len = Math.min(NR, cols - p * NR);
                    int dst = (p * n + r0) * NR;
                    for (int j = 0; j < count; j++) {
                        System.arraycopy(decoded, j * cols + p * NR, staged, dst + j * NR, len);
                    }
                }
            }
            MemorySegment.copy(staged, 0, segment, ValueLayout.JAVA_FLOAT, 0, size);
        }

        MemorySegment panel(int p, int n) {
            return segment.asSlice((long) p * n * NR * Float.BYTES, (long) n * NR * Float.BYTES);
        }
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
