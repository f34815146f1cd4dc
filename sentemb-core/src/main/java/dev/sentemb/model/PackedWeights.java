package dev.sentemb.model;

import dev.sentemb.kernel.PackedMatrix;
import dev.sentemb.kernel.WeightMatrix;
import dev.sentemb.load.ModelSpec;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Any weight source whose projection weights are kept decoded in the matmul's panel layout
 * ({@link PackedMatrix}), in the order the architecture asks for them, until a byte budget is spent; the
 * rest stream from their stored encoding as usual. Trades memory (4 bytes a weight) for passes that
 * skip decoding: what small passes (concurrent single sentences, a server's requests) need most, and a few
 * per cent on large ones. Same bits either way.
 *
 * <p>Packing is lazy ({@link PackedMatrix#lazy}): a matrix is packed as its second product decodes it, so
 * loading costs nothing more and a one-pass process never packs. Packed panels are native memory, which the
 * JVM counts against its direct-memory limit: the automatic budget ({@link #autoBudget}) takes a quarter of
 * that limit, at most 1 GiB; a matrix whose reservation is still refused keeps streaming.
 */
final class PackedWeights extends DelegatingWeights {
    /** The automatic budget's ceiling: smollm2-135m's and gemma3-270m's projections (~0.4 GB each) fit whole. */
    static final long AUTO_CEILING = 1L << 30;

    private final AtomicLong left;

    private PackedWeights(WeightSource base, long budget) {
        super(base);
        this.left = new AtomicLong(budget);
    }

    /**
     * {@code base} with up to {@code budgetBytes} of packed projections ({@link ModelSpec#AUTO_PACKED}: the
     * automatic budget); {@code base} itself for a budget of 0.
     */
    static WeightSource over(WeightSource base, long budgetBytes) {
        if (budgetBytes < ModelSpec.AUTO_PACKED) {
            throw new IllegalArgumentException("a packing budget cannot be negative: " + budgetBytes);
        }
        long budget = budgetBytes == ModelSpec.AUTO_PACKED ? autoBudget(directMemoryLimit()) : budgetBytes;
        return budget == 0 ? base : new PackedWeights(base, budget);
    }

    /** A quarter of the JVM's direct-memory limit, at most {@link #AUTO_CEILING}. */
    static long autoBudget(long directLimit) {
        return Math.max(0, Math.min(AUTO_CEILING, directLimit / 4));
    }

    /** -XX:MaxDirectMemorySize, or the heap's maximum where it is not set (HotSpot's default). */
    static long directMemoryLimit() {
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            long set = Long.parseLong(bean.getVMOption("MaxDirectMemorySize").getValue());
            if (set > 0) {
                return set;
            }
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot, or no management module: the heap's maximum is the default limit there too
        }
        return Runtime.getRuntime().maxMemory();
    }

    @Override
    public Linear linear(String prefix, int out, int in) {
        Linear l = base.linear(prefix, out, in);
        WeightMatrix w = l.weight();
        long need = PackedMatrix.bytesFor(w);
        if (left.addAndGet(-need) < 0) {
            left.addAndGet(need);
            return l;
        }
        return new Linear(PackedMatrix.lazy(w), l.bias(), l.lora());
    }
}
