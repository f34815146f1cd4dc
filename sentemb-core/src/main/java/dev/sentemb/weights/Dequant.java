package dev.sentemb.weights;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Turns ggml-encoded weights into floats, exactly as ggml's {@code dequantize_row_*} does (same
 * float operations in the same order, so results are bit-identical). The matrix kernels call it
 * tile by tile on the hot path, so it allocates nothing and dispatches once per call, not per
 * block or element.
 *
 * <p>Supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_K
 * (see {@link GgmlType#decodable()}).
 */
public final class Dequant {
    private Dequant() {}

    /**
     * Decodes {@code count} elements starting at element {@code firstElement} of the encoded data
     * in {@code src} into {@code dst[dstOffset ..]}.
     *
     * @param src          encoded data whose element 0 is at byte 0 (usually a tensor's {@code data()})
     * @param firstElement index of the first element; a multiple of the type's block size
     * @param count        number of elements; a multiple of the type's block size
     * @throws IllegalArgumentException  if the type is not decodable or the range is not block-aligned
     * @throws IndexOutOfBoundsException if the range lies outside {@code src} or {@code dst}
     */
    public static void dequantize(GgmlType type, MemorySegment src, long firstElement, float[] dst, int dstOffset, int count) {
        int bs = type.blockSize();
        if (firstElement < 0 || count < 0 || firstElement % bs != 0 || count % bs != 0) {
            throw new IllegalArgumentException(type + ": element range [" + firstElement + ", +" + count
                    + ") is not aligned to the block size " + bs);
        }
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        long off = firstElement / bs * type.typeSize();
        int nBlocks = count / bs;
        Objects.checkFromIndexSize(off, (long) nBlocks * type.typeSize(), src.byteSize());
        switch (type) {
            case F32 -> FloatBlocks.f32(src, off, dst, dstOffset, count);
            case F16 -> FloatBlocks.f16(src, off, dst, dstOffset, count);
            case BF16 -> FloatBlocks.bf16(src, off, dst, dstOffset, count);
            case Q4_0 -> {
                if (VectorBlocks.USABLE) {
                    VectorBlocks.q4_0(src, off, dst, dstOffset, nBlocks);
                } else {
                    LegacyBlocks.q4_0(src, off, dst, dstOffset, nBlocks);
                }
            }
            case Q4_1 -> {
                if (VectorBlocks.USABLE) {
                    VectorBlocks.q4_1(src, off, dst, dstOffset, nBlocks);
                } else {
                    LegacyBlocks.q4_1(src, off, dst, dstOffset, nBlocks);
                }
            }
            case Q5_0 -> {
                if (VectorBlocks.USABLE) {
                    VectorBlocks.q5_0(src, off, dst, dstOffset, nBlocks);
                } else {
                    LegacyBlocks.q5_0(src, off, dst, dstOffset, nBlocks);
                }
            }
            case Q5_1 -> LegacyBlocks.q5_1(src, off, dst, dstOffset, nBlocks);
            case Q8_0 -> {
                if (VectorBlocks.USABLE) {
                    VectorBlocks.q8_0(src, off, dst, dstOffset, nBlocks);
                } else {
                    LegacyBlocks.q8_0(src, off, dst, dstOffset, nBlocks);
                }
            }
            case Q2_K -> RareKQuantBlocks.q2_k(src, off, dst, dstOffset, nBlocks);
            case Q3_K -> RareKQuantBlocks.q3_k(src, off, dst, dstOffset, nBlocks);
            case Q4_K -> {
                if (VectorBlocks.USABLE) {
                    VectorBlocks.q4_k(src, off, dst, dstOffset, nBlocks);
                } else {
                    KQuantBlocks.q4_k(src, off, dst, dstOffset, nBlocks);
                }
            }
            case Q5_K -> KQuantBlocks.q5_k(src, off, dst, dstOffset, nBlocks);
            case Q6_K -> {
                if (VectorBlocks.USABLE) {
                    VectorBlocks.q6_k(src, off, dst, dstOffset, nBlocks);
                } else {
                    KQuantBlocks.q6_k(src, off, dst, dstOffset, nBlocks);
                }
            }
            case Q8_K -> RareKQuantBlocks.q8_k(src, off, dst, dstOffset, nBlocks);
            default -> throw new IllegalArgumentException("cannot decode ggml type " + type);
        }
    }

    /**
     * Columns {@code col0 .. col0+width-1} of rows {@code firstRow .. firstRow+count-1} of a row-major matrix
     * with {@code cols} columns stored in {@code type}, into {@code dst[dstOffset ..]} as [count × width]
     * (col0 and width block-aligned).
     */
    public static void dequantizeColumns(GgmlType type, MemorySegment src, int cols, int firstRow, int count, int col0, int width,
            float[] dst, int dstOffset) {
        for (int i = 0; i < count; i++) {
            dequantize(type, src, (long) (firstRow + i) * cols + col0, dst, dstOffset + i * width, width);
        }
    }

    /**
     * Decodes row {@code row} of a tensor ({@link GgufTensor#cols()} elements) into
     * {@code dst[off ..]}.
     */
    public static void dequantizeRow(GgufTensor t, long row, float[] dst, int off) {
        Objects.checkIndex(row, t.rows());
        long cols = t.cols();
        if (cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(t.name() + ": row of " + cols + " elements does not fit a Java array");
        }
        dequantize(t.type(), t.data(), row * cols, dst, off, (int) cols);
    }

    /** Decodes a whole tensor (for small ones: norms, biases, and tests). */
    public static float[] dequantizeAll(GgufTensor t) {
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(t.name() + ": " + n + " elements do not fit a Java array");
        }
        float[] out = new float[(int) n];
        dequantize(t.type(), t.data(), 0, out, 0, (int) n);
        return out;
    }
}
