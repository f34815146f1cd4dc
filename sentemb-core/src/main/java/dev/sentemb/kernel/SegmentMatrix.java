package dev.sentemb.kernel;

import dev.sentemb.weights.Dequant;
import dev.sentemb.weights.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A weight matrix W[rows × cols] stored row-major in any ggml encoding inside a memory segment that
 * is not a GGUF tensor: a mapped safetensors / PyTorch tensor (F32, F16, BF16) or weights quantized
 * on load (Q8_0). Decoded a few rows at a time, like {@link GgufMatrix}.
 */
public record SegmentMatrix(String name, GgmlType type, MemorySegment data, int rows, int cols) implements WeightMatrix {
    public SegmentMatrix {
        Objects.requireNonNull(type, "type");
        if (rows <= 0 || cols <= 0 || cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(name + ": " + rows + "x" + cols + " cannot be stored as " + type);
        }
        long need = (long) rows * (cols / type.blockSize()) * type.typeSize();
        if (data.byteSize() != need) {
            throw new IllegalArgumentException(name + ": " + data.byteSize() + " bytes for " + rows + "x" + cols + " " + type
                    + ", expected " + need);
        }
    }

    @Override
    public void decodeRows(int firstRow, int count, float[] dst, int dstOffset) {
        Objects.checkFromIndexSize(firstRow, count, rows);
        Dequant.dequantize(type, data, (long) firstRow * cols, dst, dstOffset, count * cols);
    }

    @Override
    public int blockWidth() {
        return type.blockSize();
    }

    @Override
    public void decodeColumns(int firstRow, int count, int col0, int width, float[] dst, int dstOffset) {
        java.util.Objects.checkFromIndexSize(firstRow, count, rows());
        java.util.Objects.checkFromIndexSize(col0, width, cols());
        Dequant.dequantizeColumns(type, data, cols(), firstRow, count, col0, width, dst, dstOffset);
    }

    @Override
    public String encoding() {
        return type.name();
    }

    @Override
    public String toString() {
        return name + " " + type + "[" + rows + "x" + cols + "]";
    }
}
