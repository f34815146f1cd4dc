package dev.sentemb.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dropout on a LoRA layer's input, as PEFT applies it ({@code lora_B(lora_A(dropout(x)))}): each element
 * kept with probability 1 − p and scaled by 1/(1 − p). The mask is a pure function of a key (the run's
 * seed and step), the sequence (its key, e.g. its index in the batch), the token's position, the layer
 * site and the column, so the same mask comes back whenever the same token meets the same layer: the
 * no-gradient pass of gradient caching and its re-run with gradients see identical masks, and the
 * backward pass regenerates the mask instead of storing it.
 *
 * @param p   the drop probability, in [0, 1)
 * @param key the pass's key (seed and step mixed)
 */
public record LoraDropout(double p, long key) {
    public static final LoraDropout NONE = new LoraDropout(0, 0);

    public LoraDropout {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
        }
    }

    /** The key of step {@code step} of a run seeded with {@code seed}. */
    public static LoraDropout of(double p, long seed, long step) {
        return new LoraDropout(p, mix(mix(seed) + step));
    }

    /**
     * The base model's own dropout of a training pass (OPT's {@code dropout}, which transformers applies to
     * the embeddings and each sub-block's output while training): drop probability {@code p} under this
     * pass's key, at sites of its own; inactive for a pass without masks ({@link #NONE}).
     */
    LoraDropout hidden(double p) {
        return key == 0 ? NONE : new LoraDropout(p, key);
    }

    boolean active() {
        return p > 0;
    }

    /**
     * x [rows × width] with the mask of {@code site} applied (a new array), row t being token
     * positions[t] of the sequence whose key is rowKeys[t]; x itself when inactive.
     */
    float[] apply(float[] x, int rows, int width, long[] rowKeys, int site) {
        if (!active()) {
            return x;
        }
        float[] out = new float[rows * width];
        float scale = (float) (1 / (1 - p));
        FloatVector keep = FloatVector.broadcast(F, scale);
        int threshold = (int) Math.round(p * 65536); // each element draws 16 bits of its own 32-bit hash
        IntVector lanes = IntVector.zero(I).addIndex(1);
        for (int t = 0; t < rows; t++) {
            int h = (int) mix(rowKeys[t] + site * 0x9E3779B97F4A7C15L);
            int o = t * width;
            int i = 0;
            for (int bound = F.loopBound(width); i < bound; i += F.length()) {
                IntVector bits = hash(lanes.add(i).mul(0x9E3779B9).add(h));
                VectorMask<Float> kept = bits.lanewise(VectorOperators.LSHR, 16).compare(VectorOperators.GE, threshold).cast(F);
                FloatVector.fromArray(F, x, o + i).mul(keep).intoArray(out, o + i, kept);
            }
            for (; i < width; i++) {
                if ((hash(i * 0x9E3779B9 + h) >>> 16) >= threshold) {
                    out[o + i] = x[o + i] * scale;
                }
            }
        }
        return out;
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    /** murmur3's 32-bit finaliser, lane-wise. */
    private static IntVector hash(IntVector z) {
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 16)).mul(0x85EBCA6B);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 13)).mul(0xC2B2AE35);
        return z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 16));
    }

    /** The same finaliser on one value (the tail of a row). */
    private static int hash(int z) {
        z = (z ^ (z >>> 16)) * 0x85EBCA6B;
        z = (z ^ (z >>> 13)) * 0xC2B2AE35;
        return z ^ (z >>> 16);
    }

    /** The key of row (sequence key, position) under this pass's key. */
    long rowKey(long sequenceKey, int position) {
        return mix(mix(key + sequenceKey) + position);
    }

    /** SplitMix64's finaliser: a bijective mix of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
