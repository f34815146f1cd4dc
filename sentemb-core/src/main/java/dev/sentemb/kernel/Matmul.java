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
        int n = w.rows();
        int k = w.cols();
        if ((long) rows * k > x.length || (long) rows * n > out.length) {
            throw new IllegalArgumentException("matmul shapes: x has " + x.length + " values for " + rows + "x" + k
                    + ", out has " + out.length + " for " + rows + "x" + n);
        }
        if (rows == 0) {
            return;
        }
        int tiles = (rows + MR - 1) / MR;
        int panels = (n + NR - 1) / NR;
        parallel.forEach(panels, () -> Scratch.get(NR * k), (scratch, p) -> {
            int n0 = p * NR;
            int nr = Math.min(NR, n - n0);
            MemorySegment panel = w instanceof PackedMatrix packed ? packed.panel(p) : scratch.pack(w, n0, nr, k);
            for (int t = 0; t < tiles; t++) {
                int t0 = t * MR;
                if (nr == NR) {
                    tile(x, k, panel, t0, rows, out, t0 * n + n0, n);
                } else { // the last, narrower panel: a full tile into scratch, then its nr columns
                    tile(x, k, panel, t0, rows, scratch.tile, 0, NR);
                    for (int r = 0; r < Math.min(MR, rows - t0); r++) {
                        System.arraycopy(scratch.tile, r * NR, out, (t0 + r) * n + n0, nr);
                    }
                }
            }
        });
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

    /** The micro-kernel of this JVM's tile shape ({@link #SHAPE} is a constant: the JIT keeps one branch). */
    private static void tile(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
        switch (SHAPE) {
            case 42 -> MicroKernels.tile4x2(x, k, b, t0, rows, dst, dstOff, stride);
            case 62 -> MicroKernels.tile6x2(x, k, b, t0, rows, dst, dstOff, stride);
            case 82 -> MicroKernels.tile8x2(x, k, b, t0, rows, dst, dstOff, stride);
            case 63 -> MicroKernels.tile6x3(x, k, b, t0, rows, dst, dstOff, stride);
            default -> MicroKernels.tile4x3(x, k, b, t0, rows, dst, dstOff, stride);
        }
    }
}
