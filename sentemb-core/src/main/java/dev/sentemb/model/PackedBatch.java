package dev.sentemb.model;

import dev.sentemb.kernel.KvPrefix;
import java.util.List;

/**
 * Token sequences laid end to end with no padding: sequence s owns rows offsets[s] .. offsets[s+1]-1
 * of every activation matrix, and its positions restart at 0. Causal attention is confined to a
 * sequence, so each sequence computes exactly what it would compute alone.
 *
 * <p>With a {@link CachedPrefix} every sequence continues the prefix: its positions start at the
 * prefix's length and attention sees the prefix's cached keys/values first; every other block works
 * on rows alone and needs nothing more.
 */
public final class PackedBatch {
    private final int[] tokens;
    private final int[] offsets;
    private final int[] positions;
    private final CachedPrefix prefix;
    /** The pass's hook (null: none), called between blocks and before each attention's output projection. */
    private final LayerHook hook;
    /** One side vector per sequence for the hook to read or write (null entries: none), or null. */
    private final float[][] sides;
    /** Rows for ids past the embedding table (a pass's added tokens), or null. */
    private final float[][] added;

    private PackedBatch(int[] tokens, int[] offsets, int[] positions, CachedPrefix prefix, LayerHook hook, float[][] sides,
                        float[][] added) {
        this.tokens = tokens;
        this.offsets = offsets;
        this.positions = positions;
        this.prefix = prefix;
        this.hook = hook;
        this.sides = sides;
        this.added = added;
    }

    /**
     * Packs {@code sequences}, checking that there is at least one, none is empty and every id is in
     * [0, vocabSize).
     */
    public static PackedBatch of(List<int[]> sequences, int vocabSize) {
        return after(null, sequences, vocabSize);
    }

    /**
     * Packs {@code sequences} as continuations of {@code prefix} (null: none): sequence positions
     * start at the prefix's length. Same checks as {@link #of}.
     */
    public static PackedBatch after(CachedPrefix prefix, List<int[]> sequences, int vocabSize) {
        return after(prefix, sequences, vocabSize, null, null);
    }

    /**
     * {@link #after} for a pass with these options: ids may also name the pass's added tokens (vocabSize + i), the
     * pass's hook is called by every block, and {@code sides} (null, or one entry per sequence) are the sequences'
     * side vectors, which the hook reads and writes.
     */
    public static PackedBatch after(CachedPrefix prefix, List<int[]> sequences, int vocabSize, PassOptions pass, float[][] sides) {
        float[][] added = pass == null ? null : pass.addedTokens();
        int limit = vocabSize + (added == null ? 0 : added.length);
        if (sides != null && sides.length != (sequences == null ? 0 : sequences.size())) {
            throw new IllegalArgumentException(sides.length + " side vectors for " + (sequences == null ? 0 : sequences.size()) + " sequences");
        }
        int origin = prefix == null ? 0 : prefix.length();
        if (sequences == null || sequences.isEmpty()) {
            throw new InvalidInputException("no sequences to run");
        }
        int[] offsets = new int[sequences.size() + 1];
        for (int s = 0; s < sequences.size(); s++) {
            int[] seq = sequences.get(s);
            if (seq == null || seq.length == 0) {
                throw new InvalidInputException("sequence " + s + " is empty");
            }
            offsets[s + 1] = Math.addExact(offsets[s], seq.length);
        }
        int[] tokens = new int[offsets[sequences.size()]];
        int[] positions = new int[tokens.length];
        for (int s = 0; s < sequences.size(); s++) {
            int[] seq = sequences.get(s);
            for (int i = 0; i < seq.length; i++) {
                int id = seq[i];
                if (id < 0 || id >= limit) {
                    throw new InvalidInputException("token id " + id + " at position " + i + " of sequence " + s
                            + " is outside the vocabulary [0, " + limit + ")");
                }
                tokens[offsets[s] + i] = id;
                positions[offsets[s] + i] = origin + i;
            }
        }
        return new PackedBatch(tokens, offsets, positions, prefix, pass == null ? null : pass.hook(),
                sides == null ? new float[sequences.size()][] : sides, added);
    }

    /** T: total tokens (rows). */
    public int tokenCount() {
        return tokens.length;
    }

    public int sequenceCount() {
        return offsets.length - 1;
    }

    /** Token ids, [T]. Shared, do not modify. */
    int[] tokens() {
        return tokens;
    }

    /** Sequence boundaries, [sequences + 1]. Shared, do not modify. */
    int[] offsets() {
        return offsets;
    }

    /** Position of each row inside its sequence, [T]. Shared, do not modify. */
    int[] positions() {
        return positions;
    }

    /** Each sequence's last row of {@code m} [T × width], in order: a new [sequences × width]. */
    float[] lastRows(float[] m, int width) {
        int n = sequenceCount();
        float[] out = new float[n * width];
        for (int s = 0; s < n; s++) {
            System.arraycopy(m, (offsets[s + 1] - 1) * width, out, s * width, width);
        }
        return out;
    }

    /** Rows for ids past the embedding table, or null. Shared, do not modify. */
    float[][] addedTokens() {
        return added;
    }

    /** The pass's hook, or null. */
    LayerHook hook() {
        return hook;
    }

    /** The sequences' side vectors (entries may be null). Shared: the hook's writes land here. */
    float[][] sides() {
        return sides;
    }

    /**
     * Lets the pass's hook see (and change) the attention's concatenated head outputs of layer {@code layer} before
     * the output projection: {@code context} is [T × width].
     */
    void beforeOutputProjection(int layer, float[] context, int width) {
        if (hook != null) {
            hook.beforeOutputProjection(layer, new LayerStates(context, this, width));
        }
    }

    /** The prefix's keys/values for layer {@code layer}; empty when the batch has no prefix. */
    KvPrefix past(int layer) {
        return prefix == null ? KvPrefix.EMPTY : prefix.layer(layer);
    }
}
