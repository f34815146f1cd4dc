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

    private PackedBatch(int[] tokens, int[] offsets, int[] positions, CachedPrefix prefix) {
        this.tokens = tokens;
        this.offsets = offsets;
        this.positions = positions;
        this.prefix = prefix;
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
                if (id < 0 || id >= vocabSize) {
                    throw new InvalidInputException("token id " + id + " at position " + i + " of sequence " + s
                            + " is outside the vocabulary [0, " + vocabSize + ")");
                }
                tokens[offsets[s] + i] = id;
                positions[offsets[s] + i] = origin + i;
            }
        }
        return new PackedBatch(tokens, offsets, positions, prefix);
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

    /** The prefix's keys/values for layer {@code layer}; empty when the batch has no prefix. */
    KvPrefix past(int layer) {
        return prefix == null ? KvPrefix.EMPTY : prefix.layer(layer);
    }
}
