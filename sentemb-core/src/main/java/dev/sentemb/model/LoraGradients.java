package dev.sentemb.model;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Gradient accumulators of the LoRA factors a backward pass reaches, one pair per {@link LowRank} (keyed by
 * identity: the live parameters the model runs with). Backward passes add into them; the optimiser reads
 * and clears them. Not thread-safe: one backward pass at a time.
 */
public final class LoraGradients {
    /** dL/dA [r × in] and dL/dB [out × r], row-major like the factors. */
    public record Pair(float[] a, float[] b) {}

    private final Map<LowRank, Pair> grads = new IdentityHashMap<>();

    /** The accumulators of {@code lora}, created (zero) on first use. */
    public Pair of(LowRank lora) {
        return grads.computeIfAbsent(lora, l -> new Pair(new float[l.a().data().length], new float[l.b().data().length]));
    }

    /** Sets every accumulator to zero. */
    public void clear() {
        for (Pair p : grads.values()) {
            java.util.Arrays.fill(p.a, 0f);
            java.util.Arrays.fill(p.b, 0f);
        }
    }
}
