package dev.sentemb.kernel;

import dev.sentemb.weights.Dequant;
import dev.sentemb.weights.GgufTensor;

/**
 * A 2-D GGUF tensor (ggml dims {K, N}) seen as a weight matrix W[N×K], decoded straight out of the
 * file mapping a few rows at a time. Decoding is exact ggml block decoding, so the fp32 values are
 * the ones Hugging Face gets when it dequantizes the same file.
 */
public final class GgufMatrix implements WeightMatrix {
    private final GgufTensor tensor;
    private final int rows;
    private final int cols;

    public GgufMatrix(GgufTensor tensor) {
        this.tensor = tensor;
        if (tensor.nDims() != 2 || tensor.rows() > Integer.MAX_VALUE || tensor.cols() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not a 2-D weight matrix: " + tensor);
        }
        if (!tensor.type().decodable()) {
            throw new IllegalArgumentException("tensor " + tensor.name() + " has type " + tensor.type() + ", which cannot be decoded");
        }
        if (tensor.cols() % tensor.type().blockSize() != 0) {
            throw new IllegalArgumentException("row length " + tensor.cols() + " of " + tensor.name() + " is not a multiple of the "
                    + tensor.type() + " block size " + tensor.type().blockSize());
        }
        this.rows = (int) tensor.rows();
        this.cols = (int) tensor.cols();
    }

    public GgufTensor tensor() {
        return tensor;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void decodeRows(int firstRow, int count, float[] dst, int dstOffset) {
        java.util.Objects.checkFromIndexSize(firstRow, count, rows);
        Dequant.dequantize(tensor.type(), tensor.data(), (long) firstRow * cols, dst, dstOffset, count * cols);
    }

    @Override
    public int blockWidth() {
        return tensor.type().blockSize();
    }

    @Override
    public void decodeColumns(int firstRow, int count, int col0, int width, float[] dst, int dstOffset) {
        java.util.Objects.checkFromIndexSize(firstRow, count, rows());
        java.util.Objects.checkFromIndexSize(col0, width, cols());
        Dequant.dequantizeColumns(tensor.type(), tensor.data(), cols(), firstRow, count, col0, width, dst, dstOffset);
    }

    @Override
    public String encoding() {
        return tensor.type().name();
    }

    @Override
    public String toString() {
        return tensor.toString();
    }
}
