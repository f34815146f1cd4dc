package dev.sentemb.model;

import dev.sentemb.kernel.PackedMatrix;
import dev.sentemb.kernel.WeightMatrix;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Any weight source whose projection weights are kept decoded in the matmul's panel layout
 * ({@link PackedMatrix}), in the order the architecture asks for them, until a byte budget is spent; the
 * rest stream from their stored encoding as usual. Trades memory (4 bytes a weight) for passes that
 * skip decoding: what small passes (concurrent single sentences) need. Same bits either way.
 */
final class PackedWeights extends DelegatingWeights {
    private final AtomicLong left;

    private PackedWeights(WeightSource base, long budget) {
        super(base);
        this.left = new AtomicLong(budget);
    }

    /** {@code base} with up to {@code budgetBytes} of packed projections; {@code base} itself for a budget of 0. */
    static WeightSource over(WeightSource base, long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("a packing budget cannot be negative: " + budgetBytes);
        }
        return budgetBytes == 0 ? base : new PackedWeights(base, budgetBytes);
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
        return new Linear(PackedMatrix.of(w), l.bias(), l.lora());
    }
}
