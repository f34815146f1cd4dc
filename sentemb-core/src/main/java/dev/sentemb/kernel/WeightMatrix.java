package dev.sentemb.kernel;

/**
 * A weight matrix W of {@code rows} × {@code cols} (N × K, row-major: a row is one output feature),
 * kept in whatever encoding it was stored in (fp32, fp16, a quantized block format, ...).
 *
 * <p>Kernels never expand a whole matrix: they ask for a few consecutive rows at a time (or, for
 * training's dy·W, a strip of columns of every row), decoded to fp32 into a small buffer that is reused
 * across every token of a packed batch. That keeps the
 * memory footprint at the size of the file and lets quantized weights feed an fp32 micro-kernel.
 */
public interface WeightMatrix {
    /** N: output features. */
    int rows();

    /** K: input features (the contiguous dimension). */
    int cols();

    /**
     * Decodes rows {@code firstRow .. firstRow+count-1} to fp32, row-major, into
     * {@code dst[dstOffset .. dstOffset + count*cols())}. Must be safe to call from many threads at once.
     */
    void decodeRows(int firstRow, int count, float[] dst, int dstOffset);

    /**
     * Columns a partial-row decode ({@link #decodeColumns}) starts at a multiple of: the encoding's block
     * width (32 for Q4_1, 256 for Q4_K, 1 for plain floats). Where an encoding cannot decode part of a row,
     * the whole row.
     */
    default int blockWidth() {
        return cols();
    }

    /**
     * Decodes columns {@code col0 .. col0+width-1} of rows {@code firstRow .. firstRow+count-1} to fp32 into
     * {@code dst[dstOffset ..]}, row-major [count × width]. {@code col0} is a multiple of {@link #blockWidth()},
     * and so is {@code width} unless the range ends the row. Safe to call from many threads at once.
     */
    default void decodeColumns(int firstRow, int count, int col0, int width, float[] dst, int dstOffset) {
        int k = cols();
        java.util.Objects.checkFromIndexSize(col0, width, k);
        float[] row = new float[k];
        for (int i = 0; i < count; i++) {
            decodeRows(firstRow + i, 1, row, 0);
            System.arraycopy(row, col0, dst, dstOffset + i * width, width);
        }
    }

    /** A short name of the storage encoding, for messages and benchmarks (e.g. "F32", "Q4_K"). */
    String encoding();
}
