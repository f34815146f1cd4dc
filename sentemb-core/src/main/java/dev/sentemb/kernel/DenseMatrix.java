package dev.sentemb.kernel;

import java.util.Objects;

/**
 * A plain fp32 weight matrix held on the heap. Used for small tensors, for tests, and as the natural
 * home of trained deltas (a merged LoRA update is a dense matrix).
 */
public record DenseMatrix(float[] data, int rows, int cols) implements WeightMatrix {
    public DenseMatrix {
        Objects.requireNonNull(data, "data");
        if (rows <= 0 || cols <= 0 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException("dense matrix " + rows + "x" + cols + " does not match " + data.length + " values");
        }
    }

    @Override
    public void decodeRows(int firstRow, int count, float[] dst, int dstOffset) {
        Objects.checkFromIndexSize(firstRow, count, rows);
        System.arraycopy(data, firstRow * cols, dst, dstOffset, count * cols);
    }

    @Override
    public int blockWidth() {
        return 1;
    }

    @Override
    public void decodeColumns(int firstRow, int count, int col0, int width, float[] dst, int dstOffset) {
        Objects.checkFromIndexSize(firstRow, count, rows);
        Objects.checkFromIndexSize(col0, width, cols);
        for (int i = 0; i < count; i++) {
            System.arraycopy(data, (firstRow + i) * cols + col0, dst, dstOffset + i * width, width);
        }
    }

    @Override
    public String encoding() {
        return "F32";
    }
}
