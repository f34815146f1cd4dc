package dev.sentemb.kernel;

/**
 * A weight matrix W of {@code rows} × {@code cols} (N × K, row-major: a row is one output feature),
 * kept in whatever encoding it was stored in (fp32, fp16, a quantized block format, ...).
 *
 * <p>Kernels never expand a whole matrix: they ask for a few consecutive rows at a time, decoded to
 * fp32 into a small buffer that is reused across every token of a packed batch. That keeps the
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

    /** A short name of the storage encoding, for messages and benchmarks (e.g. "F32", "Q4_K"). */
    String encoding();
}
