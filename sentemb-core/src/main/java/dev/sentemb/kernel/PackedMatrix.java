package dev.sentemb.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A weight matrix kept decoded in the matmul's own panel layout (fp32, k-major panels of the kernel's
 * width, 64-byte aligned, off the heap), so a pass skips decoding and transposing it. Costs 4 bytes a
 * weight instead of the stored encoding's ~0.6 (Q4): worth it where passes are small, e.g. a server's
 * concurrent single sentences, whose passes otherwise spend a third of their time re-decoding weights.
 * The values are the base matrix's decoded values, so results are the same bits either way.
 */
public final class PackedMatrix implements WeightMatrix {
    private final WeightMatrix base;
    private final MemorySegment panels;
    private final long panelBytes;

    private PackedMatrix(WeightMatrix base, MemorySegment panels, long panelBytes) {
        this.base = base;
        this.panels = panels;
        this.panelBytes = panelBytes;
    }

    /** Bytes {@link #of} would allocate for {@code w}. */
    public static long bytesFor(WeightMatrix w) {
        long panels = (w.rows() + Matmul.NR - 1) / Matmul.NR;
        return panels * Matmul.NR * w.cols() * (long) Float.BYTES;
    }

    /** Decodes and packs every panel of {@code w} now. */
    public static PackedMatrix of(WeightMatrix w) {
        Objects.requireNonNull(w, "w");
        if (w instanceof PackedMatrix p) {
            return p;
        }
        int k = w.cols();
        long one = (long) Matmul.NR * k * Float.BYTES;
        MemorySegment all = Arena.ofAuto().allocate(bytesFor(w), 64);
        float[] decoded = new float[Matmul.NR * k];
        float[] kMajor = new float[Matmul.NR * k];
        for (int n0 = 0, p = 0; n0 < w.rows(); n0 += Matmul.NR, p++) {
            int nr = Math.min(Matmul.NR, w.rows() - n0);
            w.decodeRows(n0, nr, decoded, 0);
            Matmul.packPanel(decoded, nr, k, kMajor, all.asSlice(p * one, one));
        }
        return new PackedMatrix(w, all, one);
    }

    /** Panel {@code p} (weight rows p·NR ..), as the micro-kernel reads it. */
    MemorySegment panel(int p) {
        return panels.asSlice(p * panelBytes, panelBytes);
    }

    @Override
    public int rows() {
        return base.rows();
    }

    @Override
    public int cols() {
        return base.cols();
    }

    @Override
    public void decodeRows(int firstRow, int count, float[] dst, int dstOffset) {
        base.decodeRows(firstRow, count, dst, dstOffset);
    }

    @Override
    public String encoding() {
        return base.encoding() + " (packed F32)";
    }

    @Override
    public String toString() {
        return base + " packed";
    }
}
