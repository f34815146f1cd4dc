package dev.sentemb.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prefill matmul {@code out[T×N] = x[T×K] · Wᵀ} for a weight W[N×K] in any encoding.
 *
 * <p>Work is split over N into panels of {@link #NR} weight rows. A thread claims a panel, decodes its
 * rows once into fp32 and repacks them k-major ({@code panel[k][j]}), then sweeps every token of the
 * batch through a register-tiled micro-kernel: {@link #MR} tokens × {@code NR} columns held in
 * {@code MR·NV} vector accumulators, one broadcast of x and {@code NV} panel loads per k. The
 * activations are read in place, MR row streams at a time: packing them into tiles first cost a
 * single-threaded pass over x per call, which showed on the narrow k/v projections.
 *
 * <p>The panel lives off the heap, 64-byte aligned, so the micro-kernel's panel loads never split a cache
 * line. In a Java array its alignment was whatever the allocator gave: on 256-bit vectors that moved
 * whole-model throughput by a quarter from one build (or run) to the next.
 *
 * <p>The tile's shape comes from the machine ({@link TileShape}); the tiles are in {@link MicroKernels}.
 * Every output element is summed over k in the same order whatever T is, wherever its row sits in a tile
 * and whatever the tile's shape (a tile's rows past the batch repeat its last row and are never stored),
 * so a token's result does not depend on what else is in the batch or on the CPU's vector width: packed
 * batches are bitwise batch-invariant.
 */
final class Matmul {
    static final VectorSpecies<Float> S = MicroKernels.S;
    static final int L = MicroKernels.L;
    /** Tokens per micro-tile ({@link TileShape}). */
    static final int MR = TileShape.MR;
    /** Vectors per micro-tile row ({@link TileShape}). */
    static final int NV = TileShape.NV;
    /** Weight rows (output columns) per panel. */
    static final int NR = NV * L;
    private static final int SHAPE = MR * 10 + NV;

    private Matmul() {}

    /** The micro-tile this JVM runs, e.g. "8x2 of 16-lane vectors (32-column panels)". */
    static String shape() {
        return TileShape.describe();
    }

    static void matmul(Parallel parallel, float[] x, int rows, WeightMatrix w, float[] out) {
        matmuls(parallel, x, rows, new WeightMatrix[] {w}, new float[][] {out});
    }

    /**
     * {@code outs[i] = x · ws[i]ᵀ} for weights that share x (q, k and v; gate and up) as one parallel loop over
     * the panels of them all: a small pass's narrow k/v products had three panels a thread each, and the
     * thread that drew the last one left the other idle. Each output's bits are those of {@link #matmul}.
     */
    static void matmuls(Parallel parallel, float[] x, int rows, WeightMatrix[] ws, float[][] outs) {
        int k = ws[0].cols();
        int[] first = new int[ws.length + 1]; // panel index where matrix i starts
        PackedMatrix[] packed = new PackedMatrix[ws.length];
        boolean[] keep = new boolean[ws.length];
        for (int i = 0; i < ws.length; i++) {
            int n = ws[i].rows();
            if (ws[i].cols() != k || (long) rows * k > x.length || (long) rows * n > outs[i].length) {
                throw new IllegalArgumentException("matmul shapes: x has " + x.length + " values for " + rows + "x" + ws[i].cols()
                        + " (K of the first weight: " + k + "), out has " + outs[i].length + " for " + rows + "x" + n);
            }
            first[i + 1] = first[i] + (n + NR - 1) / NR;
        }
        if (rows == 0) {
            return;
        }
        boolean decodesNothing = true;
        for (int i = 0; i < ws.length; i++) {
            packed[i] = ws[i] instanceof PackedMatrix pm ? pm : null;
            keep[i] = packed[i] != null && packed[i].packing(rows);
            decodesNothing &= packed[i] != null && packed[i].complete();
        }
        int panels = first[ws.length];
        // Few panels a thread (a small pass over narrow weights): when no panel needs decoding, cut the rows
        // into blocks too, so that the thread drawing the last item leaves the others idle for less.
        int blocks = decodesNothing ? Math.max(1, Math.min(Math.ceilDiv(rows, 4 * MR), Math.ceilDiv(ITEMS_PER_THREAD * parallel.threads(), panels))) : 1;
        int blockRows = Math.ceilDiv(Math.ceilDiv(rows, blocks), MR) * MR;
        int rowBlocks = Math.ceilDiv(rows, blockRows);
        parallel.forEach(panels * rowBlocks, () -> Scratch.get(NR * k), (scratch, item) -> {
            int b = item / panels;
            int p = item - b * panels;
            int i = 0;
            while (p >= first[i + 1]) {
                i++;
            }
            panelProduct(scratch, x, rows, ws[i], packed[i], keep[i], p - first[i], outs[i], b * blockRows, Math.min(rows, (b + 1) * blockRows));
        });
    }

    /** Items a thread should get at least, where rows can be cut to get them. */
    private static final int ITEMS_PER_THREAD = 16;

    /**
     * Columns p·NR .. of {@code out} for rows {@code from .. to} (a multiple of MR apart, but the last): panel p
     * of w (packed, or decoded now), swept by the tiles.
     */
    private static void panelProduct(Scratch scratch, float[] x, int rows, WeightMatrix w, PackedMatrix packed, boolean keep,
                                     int p, float[] out, int from, int to) {
        int n = w.rows();
        int k = w.cols();
        int n0 = p * NR;
        int nr = Math.min(NR, n - n0);
        MemorySegment panel = packed == null ? null : packed.ready(p);
        if (panel == null) {
            panel = scratch.pack(w, n0, nr, k);
            if (keep) {
                packed.keep(p, panel);
            }
        }
        for (int t0 = from; t0 < to; ) {
            int m = tileRows(to - t0);
            if (nr == NR) {
                tile(m, x, k, panel, t0, rows, out, t0 * n + n0, n);
            } else { // the last, narrower panel: a full tile into scratch, then its nr columns
                tile(m, x, k, panel, t0, rows, scratch.tile, 0, NR);
                for (int r = 0; r < Math.min(m, rows - t0); r++) {
                    System.arraycopy(scratch.tile, r * NR, out, (t0 + r) * n + n0, nr);
                }
            }
            t0 += m;
        }
    }

    /** Panel p of w (weight rows p·NR ..), decoded and packed into the calling thread's scratch panel. */
    static MemorySegment decodePanel(WeightMatrix w, int p) {
        int k = w.cols();
        int n0 = p * NR;
        return Scratch.get(NR * k).pack(w, n0, Math.min(NR, w.rows() - n0), k);
    }

    /**
     * Rows of the next tile when {@code left} rows remain: a full tile while one fits, then 4, 2 and 1
     * rows for the tail (a full tile over a short tail computes rows that are never stored).
     */
    static int tileRows(int left) {
        return left >= MR ? MR : left >= 4 ? 4 : left >= 2 ? 2 : 1;
    }

    /**
     * A thread's decoded weight rows [NR × K], their k-major transpose on the heap, its k-major panel
     * [K × NR] (off the heap, 64-byte aligned) and an edge tile, kept per thread and grown on demand, so a
     * forward pass allocates none of them.
     */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> OF_THREAD = new ThreadLocal<>();
        final float[] decoded;
        final float[] kMajor;
        final MemorySegment panel;
        final float[] tile = new float[MR * NR];

        private Scratch(int size) {
            decoded = new float[size];
            kMajor = new float[size];
            panel = Arena.ofAuto().allocate((long) size * Float.BYTES, 64);
        }

        /** Rows n0 .. n0+nr of {@code w}, decoded and packed into this thread's panel. */
        MemorySegment pack(WeightMatrix w, int n0, int nr, int k) {
            w.decodeRows(n0, nr, decoded, 0);
            packPanel(decoded, nr, k, kMajor, panel);
            return panel;
        }

        static Scratch get(int size) {
            Scratch s = OF_THREAD.get();
            if (s == null || s.decoded.length < size) {
                s = new Scratch(size);
                OF_THREAD.set(s);
            }
            return s;
        }
    }

    /**
     * decoded[j][k] (nr rows) → panel[k][j] with NR columns; columns past nr are zero. Transposed in 8 × 8
     * blocks into {@code kMajor} (NR·K floats on the heap), then copied into the panel in one go: element by element into the segment,
     * k outermost, it took a fifth of the samples of eight concurrent one-sentence callers (JFR), most on
     * long rows (K = 1,536: 1.5 → 1.2 ms for smollm2's ffn_down at 112 tokens).
     */
    static void packPanel(float[] decoded, int nr, int k, float[] kMajor, MemorySegment panel) {
        if (nr < NR) {
            java.util.Arrays.fill(kMajor, 0, NR * k, 0f);
        }
        // 8 × 8 blocks: each row's 8 values are read in a run and each k's 8 written in a run, all in L1
        int kk0 = 0;
        for (; kk0 + 8 <= k; kk0 += 8) {
            for (int j0 = 0; j0 < nr; j0 += 8) {
                int jn = Math.min(8, nr - j0);
                for (int j = j0; j < j0 + jn; j++) {
                    int src = j * k + kk0;
                    int dst = kk0 * NR + j;
                    kMajor[dst] = decoded[src];
                    kMajor[dst + NR] = decoded[src + 1];
                    kMajor[dst + 2 * NR] = decoded[src + 2];
                    kMajor[dst + 3 * NR] = decoded[src + 3];
                    kMajor[dst + 4 * NR] = decoded[src + 4];
                    kMajor[dst + 5 * NR] = decoded[src + 5];
                    kMajor[dst + 6 * NR] = decoded[src + 6];
                    kMajor[dst + 7 * NR] = decoded[src + 7];
                }
            }
        }
        for (; kk0 < k; kk0++) {
            for (int j = 0; j < nr; j++) {
                kMajor[kk0 * NR + j] = decoded[j * k + kk0];
            }
        }
        MemorySegment.copy(kMajor, 0, panel, ValueLayout.JAVA_FLOAT, 0, NR * k);
    }

    /** The micro-kernel for a tile of {@code m} rows ({@link #SHAPE} is a constant: the JIT keeps one branch). */
    static void tile(int m, float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
        if (m == MR) {
            switch (SHAPE) {
                case 42 -> MicroKernels.tile4x2(x, k, b, t0, rows, dst, dstOff, stride);
                case 62 -> MicroKernels.tile6x2(x, k, b, t0, rows, dst, dstOff, stride);
                case 82 -> MicroKernels.tile8x2(x, k, b, t0, rows, dst, dstOff, stride);
                case 63 -> MicroKernels.tile6x3(x, k, b, t0, rows, dst, dstOff, stride);
                default -> MicroKernels.tile4x3(x, k, b, t0, rows, dst, dstOff, stride);
            }
        } else if (NV == 2) {
            switch (m) {
                case 4 -> MicroKernels.tile4x2(x, k, b, t0, rows, dst, dstOff, stride);
                case 2 -> MicroKernels.tile2x2(x, k, b, t0, rows, dst, dstOff, stride);
                default -> MicroKernels.tile1x2(x, k, b, t0, rows, dst, dstOff, stride);
            }
        } else {
            switch (m) {
                case 4 -> MicroKernels.tile4x3(x, k, b, t0, rows, dst, dstOff, stride);
                case 2 -> MicroKernels.tile2x3(x, k, b, t0, rows, dst, dstOff, stride);
                default -> MicroKernels.tile1x3(x, k, b, t0, rows, dst, dstOff, stride);
            }
        }
    }
}
