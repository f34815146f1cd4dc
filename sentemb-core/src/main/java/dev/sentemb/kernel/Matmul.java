package dev.sentemb.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
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
 * <p>Every output element is summed over k in the same order whatever T is and wherever its row sits in
 * a tile (a tile's rows past the batch repeat its last row and are never stored), so a token's result
 * does not depend on what else is in the batch: packed batches are bitwise batch-invariant.
 */
final class Matmul {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** The tile width asked for on the command line, if any (read before {@link #NV}, which uses it). */
    private static final String FORCED = System.getProperty("sentemb.kernel.nv");
    /** Tokens per micro-tile. */
    static final int MR = 4;
    /**
     * Vectors per micro-tile row, from the register file: the 4×3 tile keeps 12 accumulators, 3 panel
     * vectors and a broadcast live (16 registers), which fits where there are 32 (AVX-512; NEON and SVE
     * at 4 lanes) but spills on AVX2's 16; there the 4×2 tile (11 live) runs instead. The system property
     * {@code sentemb.kernel.nv} (2 or 3) forces one for measurement; any other value is ignored, and
     * {@link #shape()} says so (a class initialiser that threw would leave the kernels unusable, not
     * explain anything). Results are the same bits either way:
     * every output element is its own lane, summed over k in order.
     */
    static final int NV = vectorsPerRow();
    /** Weight rows (output columns) per panel. */
    static final int NR = NV * L;

    private Matmul() {}

    private static int vectorsPerRow() {
        if ("2".equals(FORCED) || "3".equals(FORCED)) {
            return Integer.parseInt(FORCED);
        }
        return L == 8 ? 2 : 3; // 8 lanes of float: AVX2's 256-bit registers, 16 of them
    }

    /** The micro-tile this JVM runs, e.g. "4x3 of 16-lane vectors (48-column panels)". */
    static String shape() {
        String ignored = FORCED == null || "2".equals(FORCED) || "3".equals(FORCED) ? ""
                : "; sentemb.kernel.nv=" + FORCED + " ignored, expected 2 or 3";
        return MR + "x" + NV + " of " + L + "-lane vectors (" + NR + "-column panels)" + ignored;
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
     * A thread's decoded weight rows [NR × K], its k-major panel [K × NR] (off the heap, 64-byte aligned)
     * and an edge tile, kept per thread and grown on demand, so a forward pass allocates none of them.
     */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> OF_THREAD = new ThreadLocal<>();
        final float[] decoded;
        final MemorySegment panel;
        final float[] tile = new float[MR * NR];

        private Scratch(int size) {
            decoded = new float[size];
            panel = Arena.ofAuto().allocate((long) size * Float.BYTES, 64);
        }

        /** Rows n0 .. n0+nr of {@code w}, decoded and packed into this thread's panel. */
        MemorySegment pack(WeightMatrix w, int n0, int nr, int k) {
            w.decodeRows(n0, nr, decoded, 0);
            packPanel(decoded, nr, k, panel);
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

    /** decoded[j][k] (nr rows) → panel[k][j] with NR columns; columns past nr are zero. */
    static void packPanel(float[] decoded, int nr, int k, MemorySegment panel) {
        if (nr < NR) {
            panel.asSlice(0, (long) NR * k * Float.BYTES).fill((byte) 0);
        }
        for (int j = 0; j < nr; j++) {
            int src = j * k;
            for (int kk = 0; kk < k; kk++) {
                panel.setAtIndex(ValueLayout.JAVA_FLOAT, (long) kk * NR + j, decoded[src + kk]);
            }
        }
    }

    /**
     * dst[dstOff + r·stride .. + NR] = x[t0 + r] · panel for the tile's rows r that lie in the batch.
     * Rows of the tile past the batch read the last row again (computed, never stored). The method
     * stays this small on purpose: with the narrow-panel copy inside it, the JIT ran out of inlining
     * budget and left some of the Vector API calls out of line, i.e. boxed and ~50× slower (models
     * whose widths are not multiples of the panel: qwen2.5, gemma3).
     */
    private static void microKernel(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
        int last = rows - 1;
        int x0i = t0 * k;
        int x1i = Math.min(t0 + 1, last) * k;
        int x2i = Math.min(t0 + 2, last) * k;
        int x3i = Math.min(t0 + 3, last) * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        long bi = 0;
        for (int kk = 0; kk < k; kk++, bi += NR * Float.BYTES) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ByteOrder.nativeOrder());
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + L * Float.BYTES, ByteOrder.nativeOrder());
            FloatVector b2 = FloatVector.fromMemorySegment(S, b, bi + 2 * L * Float.BYTES, ByteOrder.nativeOrder());
            FloatVector x0 = FloatVector.broadcast(S, x[x0i + kk]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
            c02 = b2.fma(x0, c02);
            FloatVector x1 = FloatVector.broadcast(S, x[x1i + kk]);
            c10 = b0.fma(x1, c10);
            c11 = b1.fma(x1, c11);
            c12 = b2.fma(x1, c12);
            FloatVector x2 = FloatVector.broadcast(S, x[x2i + kk]);
            c20 = b0.fma(x2, c20);
            c21 = b1.fma(x2, c21);
            c22 = b2.fma(x2, c22);
            FloatVector x3 = FloatVector.broadcast(S, x[x3i + kk]);
            c30 = b0.fma(x3, c30);
            c31 = b1.fma(x3, c31);
            c32 = b2.fma(x3, c32);
        }
        int valid = Math.min(MR, rows - t0);
        store(dst, dstOff, c00, c01, c02);
        if (valid > 1) store(dst, dstOff + stride, c10, c11, c12);
        if (valid > 2) store(dst, dstOff + 2 * stride, c20, c21, c22);
        if (valid > 3) store(dst, dstOff + 3 * stride, c30, c31, c32);
    }

    /** The micro-kernel of this JVM's tile shape ({@link #NV} is a constant: the JIT keeps one branch). */
    private static void tile(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
        if (NV == 3) {
            microKernel(x, k, b, t0, rows, dst, dstOff, stride);
        } else {
            microKernel2(x, k, b, t0, rows, dst, dstOff, stride);
        }
    }

    /** As {@link #microKernel} with two vectors per tile row: 8 accumulators, 2 panel vectors, 1 broadcast. */
    private static void microKernel2(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
        int last = rows - 1;
        int x0i = t0 * k;
        int x1i = Math.min(t0 + 1, last) * k;
        int x2i = Math.min(t0 + 2, last) * k;
        int x3i = Math.min(t0 + 3, last) * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        long bi = 0;
        for (int kk = 0; kk < k; kk++, bi += NR * Float.BYTES) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ByteOrder.nativeOrder());
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + L * Float.BYTES, ByteOrder.nativeOrder());
            FloatVector x0 = FloatVector.broadcast(S, x[x0i + kk]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, x[x1i + kk]);
            c10 = b0.fma(x1, c10);
            c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(S, x[x2i + kk]);
            c20 = b0.fma(x2, c20);
            c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(S, x[x3i + kk]);
            c30 = b0.fma(x3, c30);
            c31 = b1.fma(x3, c31);
        }
        int valid = Math.min(MR, rows - t0);
        c00.intoArray(dst, dstOff);
        c01.intoArray(dst, dstOff + L);
        if (valid > 1) {
            c10.intoArray(dst, dstOff + stride);
            c11.intoArray(dst, dstOff + stride + L);
        }
        if (valid > 2) {
            c20.intoArray(dst, dstOff + 2 * stride);
            c21.intoArray(dst, dstOff + 2 * stride + L);
        }
        if (valid > 3) {
            c30.intoArray(dst, dstOff + 3 * stride);
            c31.intoArray(dst, dstOff + 3 * stride + L);
        }
    }

    private static void store(float[] out, int off, FloatVector v0, FloatVector v1, FloatVector v2) {
        v0.intoArray(out, off);
        v1.intoArray(out, off + L);
        v2.intoArray(out, off + 2 * L);
    }
}
