package dev.sentemb.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link Matmul}: {@code dst[dstOff + r·stride ..] = x[t0 + r] · panel} for MR
 * tokens r and NV vectors of panel columns, the panel being k-major with NV·L columns. One method per
 * shape, each written out whole, because the JIT keeps a tile's vectors in registers only when every
 * one of them is a local it can see: arrays of accumulators or a loop over rows box them.
 *
 * <p>Which shape fits depends on the register file: MR·NV accumulators, NV panel vectors and one broadcast
 * must all stay live. {@link TileShape} picks one from the species length; every shape computes the same
 * bits, since each output element is one lane summed over k in order by fused multiply-adds. Rows of a
 * tile past the batch read the batch's last row again (computed, never stored).
 *
 * <p>Not every shape that fits on paper compiles well: 8×3 (24 accumulators of 512 bits) ran 10× slower than
 * 4×3 on AVX-512 (its vectors ended up boxed), 8×2 spills on AVX2, and 6×2 with its k loop unrolled
 * twice by hand ran 4× slower than as written here. Packing a tile's rows k-major first (one index for all
 * MR broadcasts instead of MR row streams) ran 2× slower under AVX2: C2 then hoisted four broadcasts ahead
 * of their FMAs and kept two accumulators on the stack, a store and reload every k. The methods stay small on purpose: with more inside them the JIT ran out of inlining budget and left
 * some Vector API calls out of line, boxed and ~50× slower.
 */
final class MicroKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private MicroKernels() {}

    /** 4 rows × 2 vectors: 8 accumulators, 2 panel vectors and a broadcast live (11 registers). */
    static void tile4x2(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
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
        for (int kk = 0; kk < k; kk++, bi += 2 * L * Float.BYTES) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + L * Float.BYTES, ORDER);
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
        int valid = Math.min(4, rows - t0);
        store2(dst, dstOff, c00, c01);
        if (valid > 1) store2(dst, dstOff + stride, c10, c11);
        if (valid > 2) store2(dst, dstOff + 2 * stride, c20, c21);
        if (valid > 3) store2(dst, dstOff + 3 * stride, c30, c31);
    }

    /** 4 rows × 3 vectors: 12 accumulators, 3 panel vectors and a broadcast live (16 registers). */
    static void tile4x3(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
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
        for (int kk = 0; kk < k; kk++, bi += 3 * L * Float.BYTES) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + L * Float.BYTES, ORDER);
            FloatVector b2 = FloatVector.fromMemorySegment(S, b, bi + 2 * L * Float.BYTES, ORDER);
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
        int valid = Math.min(4, rows - t0);
        store3(dst, dstOff, c00, c01, c02);
        if (valid > 1) store3(dst, dstOff + stride, c10, c11, c12);
        if (valid > 2) store3(dst, dstOff + 2 * stride, c20, c21, c22);
        if (valid > 3) store3(dst, dstOff + 3 * stride, c30, c31, c32);
    }

    /** 6 rows × 2 vectors: 12 accumulators, 2 panel vectors and a broadcast live (15 registers). */
    static void tile6x2(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
        int last = rows - 1;
        int x0i = t0 * k;
        int x1i = Math.min(t0 + 1, last) * k;
        int x2i = Math.min(t0 + 2, last) * k;
        int x3i = Math.min(t0 + 3, last) * k;
        int x4i = Math.min(t0 + 4, last) * k;
        int x5i = Math.min(t0 + 5, last) * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        long bi = 0;
        for (int kk = 0; kk < k; kk++, bi += 2 * L * Float.BYTES) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + L * Float.BYTES, ORDER);
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
            FloatVector x4 = FloatVector.broadcast(S, x[x4i + kk]);
            c40 = b0.fma(x4, c40);
            c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, x[x5i + kk]);
            c50 = b0.fma(x5, c50);
            c51 = b1.fma(x5, c51);
        }
        int valid = Math.min(6, rows - t0);
        store2(dst, dstOff, c00, c01);
        if (valid > 1) store2(dst, dstOff + stride, c10, c11);
        if (valid > 2) store2(dst, dstOff + 2 * stride, c20, c21);
        if (valid > 3) store2(dst, dstOff + 3 * stride, c30, c31);
        if (valid > 4) store2(dst, dstOff + 4 * stride, c40, c41);
        if (valid > 5) store2(dst, dstOff + 5 * stride, c50, c51);
    }

    /** 8 rows × 2 vectors: 16 accumulators, 2 panel vectors and a broadcast live (19 registers). */
    static void tile8x2(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
        int last = rows - 1;
        int x0i = t0 * k;
        int x1i = Math.min(t0 + 1, last) * k;
        int x2i = Math.min(t0 + 2, last) * k;
        int x3i = Math.min(t0 + 3, last) * k;
        int x4i = Math.min(t0 + 4, last) * k;
        int x5i = Math.min(t0 + 5, last) * k;
        int x6i = Math.min(t0 + 6, last) * k;
        int x7i = Math.min(t0 + 7, last) * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        long bi = 0;
        for (int kk = 0; kk < k; kk++, bi += 2 * L * Float.BYTES) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + L * Float.BYTES, ORDER);
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
            FloatVector x4 = FloatVector.broadcast(S, x[x4i + kk]);
            c40 = b0.fma(x4, c40);
            c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, x[x5i + kk]);
            c50 = b0.fma(x5, c50);
            c51 = b1.fma(x5, c51);
            FloatVector x6 = FloatVector.broadcast(S, x[x6i + kk]);
            c60 = b0.fma(x6, c60);
            c61 = b1.fma(x6, c61);
            FloatVector x7 = FloatVector.broadcast(S, x[x7i + kk]);
            c70 = b0.fma(x7, c70);
            c71 = b1.fma(x7, c71);
        }
        int valid = Math.min(8, rows - t0);
        store2(dst, dstOff, c00, c01);
        if (valid > 1) store2(dst, dstOff + stride, c10, c11);
        if (valid > 2) store2(dst, dstOff + 2 * stride, c20, c21);
        if (valid > 3) store2(dst, dstOff + 3 * stride, c30, c31);
        if (valid > 4) store2(dst, dstOff + 4 * stride, c40, c41);
        if (valid > 5) store2(dst, dstOff + 5 * stride, c50, c51);
        if (valid > 6) store2(dst, dstOff + 6 * stride, c60, c61);
        if (valid > 7) store2(dst, dstOff + 7 * stride, c70, c71);
    }

    /** 6 rows × 3 vectors: 18 accumulators, 3 panel vectors and a broadcast live (22 registers). */
    static void tile6x3(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
        int last = rows - 1;
        int x0i = t0 * k;
        int x1i = Math.min(t0 + 1, last) * k;
        int x2i = Math.min(t0 + 2, last) * k;
        int x3i = Math.min(t0 + 3, last) * k;
        int x4i = Math.min(t0 + 4, last) * k;
        int x5i = Math.min(t0 + 5, last) * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S);
        long bi = 0;
        for (int kk = 0; kk < k; kk++, bi += 3 * L * Float.BYTES) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + L * Float.BYTES, ORDER);
            FloatVector b2 = FloatVector.fromMemorySegment(S, b, bi + 2 * L * Float.BYTES, ORDER);
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
            FloatVector x4 = FloatVector.broadcast(S, x[x4i + kk]);
            c40 = b0.fma(x4, c40);
            c41 = b1.fma(x4, c41);
            c42 = b2.fma(x4, c42);
            FloatVector x5 = FloatVector.broadcast(S, x[x5i + kk]);
            c50 = b0.fma(x5, c50);
            c51 = b1.fma(x5, c51);
            c52 = b2.fma(x5, c52);
        }
        int valid = Math.min(6, rows - t0);
        store3(dst, dstOff, c00, c01, c02);
        if (valid > 1) store3(dst, dstOff + stride, c10, c11, c12);
        if (valid > 2) store3(dst, dstOff + 2 * stride, c20, c21, c22);
        if (valid > 3) store3(dst, dstOff + 3 * stride, c30, c31, c32);
        if (valid > 4) store3(dst, dstOff + 4 * stride, c40, c41, c42);
        if (valid > 5) store3(dst, dstOff + 5 * stride, c50, c51, c52);
    }

    /**
     * 2 rows × 2 vectors, for the rows a batch leaves after its full tiles (see {@link Matmul}): a full tile
     * for them would compute up to MR − 1 rows for nothing, 3 % of a ~110-token pass.
     */
    static void tile2x2(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
        int x0i = t0 * k;
        int x1i = Math.min(t0 + 1, rows - 1) * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        long bi = 0;
        for (int kk = 0; kk < k; kk++, bi += 2 * L * Float.BYTES) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + L * Float.BYTES, ORDER);
            FloatVector x0 = FloatVector.broadcast(S, x[x0i + kk]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, x[x1i + kk]);
            c10 = b0.fma(x1, c10);
            c11 = b1.fma(x1, c11);
        }
        store2(dst, dstOff, c00, c01);
        if (rows - t0 > 1) store2(dst, dstOff + stride, c10, c11);
    }

    /** 1 row × 2 vectors: the last row of a batch that left an odd one after its full tiles. */
    static void tile1x2(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
        int x0i = t0 * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        long bi = 0;
        for (int kk = 0; kk < k; kk++, bi += 2 * L * Float.BYTES) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + L * Float.BYTES, ORDER);
            FloatVector x0 = FloatVector.broadcast(S, x[x0i + kk]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
        }
        store2(dst, dstOff, c00, c01);
    }

    /** 2 rows × 3 vectors: {@link #tile2x2} for 3-vector panels. */
    static void tile2x3(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
        int x0i = t0 * k;
        int x1i = Math.min(t0 + 1, rows - 1) * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        long bi = 0;
        for (int kk = 0; kk < k; kk++, bi += 3 * L * Float.BYTES) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + L * Float.BYTES, ORDER);
            FloatVector b2 = FloatVector.fromMemorySegment(S, b, bi + 2 * L * Float.BYTES, ORDER);
            FloatVector x0 = FloatVector.broadcast(S, x[x0i + kk]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
            c02 = b2.fma(x0, c02);
            FloatVector x1 = FloatVector.broadcast(S, x[x1i + kk]);
            c10 = b0.fma(x1, c10);
            c11 = b1.fma(x1, c11);
            c12 = b2.fma(x1, c12);
        }
        store3(dst, dstOff, c00, c01, c02);
        if (rows - t0 > 1) store3(dst, dstOff + stride, c10, c11, c12);
    }

    /** 1 row × 3 vectors: {@link #tile1x2} for 3-vector panels. */
    static void tile1x3(float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int dstOff, int stride) {
        int x0i = t0 * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        long bi = 0;
        for (int kk = 0; kk < k; kk++, bi += 3 * L * Float.BYTES) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bi, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bi + L * Float.BYTES, ORDER);
            FloatVector b2 = FloatVector.fromMemorySegment(S, b, bi + 2 * L * Float.BYTES, ORDER);
            FloatVector x0 = FloatVector.broadcast(S, x[x0i + kk]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
            c02 = b2.fma(x0, c02);
        }
        store3(dst, dstOff, c00, c01, c02);
    }

    private static void store2(float[] out, int off, FloatVector v0, FloatVector v1) {
        v0.intoArray(out, off);
        v1.intoArray(out, off + L);
    }

    private static void store3(float[] out, int off, FloatVector v0, FloatVector v1, FloatVector v2) {
        v0.intoArray(out, off);
        v1.intoArray(out, off + L);
        v2.intoArray(out, off + 2 * L);
    }
}
