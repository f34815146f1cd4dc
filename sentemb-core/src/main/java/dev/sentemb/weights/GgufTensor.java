package dev.sentemb.weights;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One tensor of a GGUF file: its name, element type, shape and the exact slice of the file
 * mapping that holds its bytes. Nothing is copied; the matmul kernels decode blocks straight out
 * of {@link #data()}.
 *
 * <p>Dimensions are in ggml order: {@code dims[0]} is the contiguous row length ({@link #cols()}),
 * the remaining dimensions multiply to {@link #rows()}. A PyTorch weight of shape
 * {@code [out, in]} is stored with {@code dims = {in, out}}.
 *
 * <p>The segment belongs to the {@link GgufFile}'s arena: after that file is closed any access to
 * it throws {@link IllegalStateException}.
 */
public final class GgufTensor {
    private final String name;
    private final GgmlType type;
    private final long[] dims;
    private final MemorySegment data;
    private final long fileOffset;

    GgufTensor(String name, GgmlType type, long[] dims, MemorySegment data, long fileOffset) {
        this.name = name;
        this.type = type;
        this.dims = dims.clone();
        this.data = data;
        this.fileOffset = fileOffset;
    }

    public String name() {
        return name;
    }

    public GgmlType type() {
        return type;
    }

    /** A copy of the dimensions, ggml order (innermost first). */
    public long[] dims() {
        return dims.clone();
    }

    /** Number of dimensions (1 to 4). */
    public int nDims() {
        return dims.length;
    }

    /** Dimension {@code i} (ggml order). */
    public long dim(int i) {
        return dims[i];
    }

    /** The tensor's bytes: an exact slice of the file mapping, read-only. */
    public MemorySegment data() {
        return data;
    }

    /** Absolute byte offset of the tensor's data in the file. */
    public long fileOffset() {
        return fileOffset;
    }

    /** Row length: {@code dims[0]}. */
    public long cols() {
        return dims[0];
    }

    /** Number of rows: the product of all dimensions but the first (1 for a vector). */
    public long rows() {
        long r = 1;
        for (int i = 1; i < dims.length; i++) {
            r *= dims[i];
        }
        return r;
    }

    /** Total number of elements. */
    public long elementCount() {
        return cols() * rows();
    }

    /** Bytes of data ({@code == data().byteSize()}). */
    public long byteSize() {
        return data.byteSize();
    }

    /** Bytes of one row. */
    public long rowBytes() {
        return type.byteSize(dims[0]);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims) + " @" + fileOffset;
    }
}
