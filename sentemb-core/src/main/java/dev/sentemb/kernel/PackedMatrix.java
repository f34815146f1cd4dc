package dev.sentemb.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A weight matrix kept decoded in the matmul's own panel layout (fp32, k-major panels of the kernel's
 * width, 64-byte aligned, off the heap), so a pass skips decoding and transposing it. Costs 4 bytes a
 * weight instead of the stored encoding's ~0.6 (Q4) or ~1.1 (Q8_0): worth it where passes are small, e.g.
 * a server's concurrent single sentences, whose passes otherwise spend a fifth of their time re-decoding
 * weights. The values are the base matrix's decoded values, so results are the same bits either way.
 *
 * <p>Packing is lazy and follows the workload: products stream as usual until small ones (under
 * {@link #SMALL_ROWS} rows: a server's requests, concurrent single sentences) have been seen at least
 * {@link #SMALL_PRODUCTS} times and outnumber large ones two to one; from then on each panel the matmul
 * decodes is also kept, so later products read it instead. Large passes (embedding or evaluating a corpus,
 * 1,024 tokens each) gain a few per cent from packing, not worth four bytes a weight, so such a run never
 * packs and keeps the small footprint, nor does a one-off run or a test; and packing needs no pass of its
 * own over the weights at load (0.8 s for smollm2-135m, much of it the JIT not yet warm). The panels are
 * native memory, reserved against the JVM's direct-memory limit when packing starts; if that reservation is
 * refused the matrix keeps streaming.
 */
public final class PackedMatrix implements WeightMatrix {
    private static final int NONE = 0, WRITING = 1, READY = 2;
    /** A product of fewer rows than this re-decodes each weight for few rows: the passes packing is for. */
    static final int SMALL_ROWS = 512;
    /** Small products seen before packing starts. */
    static final int SMALL_PRODUCTS = 4;

    private final WeightMatrix base;
    private final long panelBytes;
    private final AtomicIntegerArray state;
    private final AtomicInteger smallProducts = new AtomicInteger();
    private final AtomicInteger largeProducts = new AtomicInteger();
    private final AtomicInteger readyPanels = new AtomicInteger();
    private volatile MemorySegment panels;
    private volatile boolean refused;

    private PackedMatrix(WeightMatrix base) {
        this.base = base;
        this.panelBytes = (long) Matmul.NR * base.cols() * Float.BYTES;
        this.state = new AtomicIntegerArray((base.rows() + Matmul.NR - 1) / Matmul.NR);
    }

    /** Bytes {@link #of} would allocate for {@code w}. */
    public static long bytesFor(WeightMatrix w) {
        long panels = (w.rows() + Matmul.NR - 1) / Matmul.NR;
        return panels * Matmul.NR * w.cols() * (long) Float.BYTES;
    }

    /** {@code w}, packed as the matmul decodes it from its second product on. */
    public static PackedMatrix lazy(WeightMatrix w) {
        Objects.requireNonNull(w, "w");
        return w instanceof PackedMatrix p ? p : new PackedMatrix(w);
    }

    /**
     * {@code w} with every panel decoded and packed now, on the calling thread. An {@link OutOfMemoryError}
     * means the direct-memory reservation was refused.
     */
    public static PackedMatrix of(WeightMatrix w) {
        PackedMatrix m = lazy(w);
        if (m.panels == null && !m.reserve()) {
            throw new OutOfMemoryError("cannot reserve " + bytesFor(w) + " bytes to pack " + w);
        }
        for (int p = 0; p < m.state.length(); p++) {
            m.keep(p, Matmul.decodePanel(w, p));
        }
        return m;
    }

    /**
     * Called once per product of {@code rows} rows, before its panels are handed out: whether this product
     * should keep the panels it decodes ({@link #keep}). True once small products dominate (see the class
     * comment) and the memory is reserved.
     */
    boolean packing(int rows) {
        if (refused) {
            return false;
        }
        if (panels != null) {
            return true;
        }
        if (PASS_ROWS.isBound()) {
            rows = PASS_ROWS.get();
        }
        int small = rows < SMALL_ROWS ? smallProducts.incrementAndGet() : smallProducts.get();
        int large = rows < SMALL_ROWS ? largeProducts.get() : largeProducts.incrementAndGet();
        return small >= SMALL_PRODUCTS && small > 2 * large && reserve();
    }

    /** The rows of the pass a product belongs to, where it has fewer of its own (see {@link #countedAsPassOf}). */
    private static final ScopedValue<Integer> PASS_ROWS = ScopedValue.newInstance();

    /**
     * Runs {@code op}, whose products are part of a pass of {@code passRows} rows though they have fewer (a pass's
     * last block for its last tokens alone): the packing policy counts them at the pass's size, so a corpus run's
     * 1,024-token passes do not start packing the last block's weights for its few dozen last rows.
     */
    public static <T> T countedAsPassOf(int passRows, java.util.function.Supplier<T> op) {
        return ScopedValue.where(PASS_ROWS, passRows).call(op::get);
    }

    private synchronized boolean reserve() {
        if (panels == null && !refused) {
            try {
                panels = Arena.ofAuto().allocate(bytesFor(base), 64);
            } catch (OutOfMemoryError e) { // the direct-memory limit: this matrix streams from now on
                refused = true;
            }
        }
        return panels != null;
    }

    /** Panel {@code p} (weight rows p·NR ..) as the micro-kernel reads it, or null while it is not packed. */
    MemorySegment ready(int p) {
        return state.get(p) == READY ? panels.asSlice(p * panelBytes, panelBytes) : null;
    }

    /** Keeps panel {@code p}, just decoded and packed into {@code panel}, unless another thread got there first. */
    void keep(int p, MemorySegment panel) {
        if (state.compareAndSet(p, NONE, WRITING)) {
            MemorySegment.copy(panel, 0, panels, p * panelBytes, panelBytes);
            state.set(p, READY); // a volatile write: whoever reads READY sees the copied panel
            readyPanels.incrementAndGet();
        }
    }

    /** Whether every panel is packed (a product then decodes nothing). */
    boolean complete() {
        return readyPanels.get() == state.length();
    }

    /** Bytes of native memory this matrix has reserved for its panels (0 until packing starts). */
    public long byteSize() {
        MemorySegment s = panels;
        return s == null ? 0 : s.byteSize();
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
    public int blockWidth() {
        return base.blockWidth();
    }

    @Override
    public void decodeColumns(int firstRow, int count, int col0, int width, float[] dst, int dstOffset) {
        base.decodeColumns(firstRow, count, col0, width, dst, dstOffset);
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
