package dev.sentemb.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a long list of token sequences into consecutive packed batches of at most {@code maxTokens}
 * tokens each, so that activation memory stays bounded however many sentences are embedded. Packing
 * needs no padding, so neither sorting by length nor any reordering is needed: results are the same
 * as running everything in one pack, only the peak memory changes.
 */
public final class BatchPlanner {
    private BatchPlanner() {}

    /** A batch: sequences {@code from} (inclusive) to {@code to} (exclusive), {@code tokens} in all. */
    public record Slice(int from, int to, int tokens) {}

    /**
     * Greedy in order: a batch is closed when the next sequence would push it past {@code maxTokens};
     * a sequence longer than the budget gets a batch of its own.
     */
    public static List<Slice> plan(List<int[]> sequences, int maxTokens) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        List<Slice> slices = new ArrayList<>();
        int from = 0, tokens = 0;
        for (int i = 0; i < sequences.size(); i++) {
            int len = sequences.get(i).length;
            if (i > from && tokens + len > maxTokens) {
                slices.add(new Slice(from, i, tokens));
                from = i;
                tokens = 0;
            }
            tokens += len;
        }
        if (from < sequences.size()) {
            slices.add(new Slice(from, sequences.size(), tokens));
        }
        return slices;
    }
}
