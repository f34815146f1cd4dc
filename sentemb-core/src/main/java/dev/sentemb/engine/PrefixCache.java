package dev.sentemb.engine;

import dev.sentemb.model.CachedPrefix;
import dev.sentemb.model.PassOptions;
import dev.sentemb.model.TransformerModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The shared-prefix KV cache of one model and strategy: a few candidate token prefixes (e.g. the
 * template head's ids, and the same without its last token, in case BPE merges that token with the
 * sentence), each run through the model once, on first use, with the strategy's pass options, and reused
 * by every prompt that starts with it.
 *
 * <p>Exactness never rests on how the head was tokenized: a prompt uses a prefix only if its own full
 * tokenization begins with exactly those ids; otherwise it is computed from scratch. Thread-safe.
 */
public final class PrefixCache {
    private final TransformerModel model;
    private final PassOptions pass;
    private final List<int[]> candidates;   // longest first
    private final CachedPrefix[] computed;  // lazily filled, same order

    /** Candidates that are empty or repeated are dropped; the longest matching one wins. */
    public PrefixCache(TransformerModel model, List<int[]> candidates, PassOptions pass) {
        this.model = model;
        this.pass = pass;
        List<int[]> kept = new ArrayList<>();
        for (int[] c : candidates) {
            if (c.length > 0 && kept.stream().noneMatch(k -> Arrays.equals(k, c))) {
                kept.add(c.clone());
            }
        }
        kept.sort(Comparator.comparingInt((int[] c) -> c.length).reversed());
        this.candidates = List.copyOf(kept);
        this.computed = new CachedPrefix[kept.size()];
    }

    /** Index of the longest candidate that {@code ids} start with (with at least one token after it), or -1. */
    public int match(int[] ids) {
        for (int i = 0; i < candidates.size(); i++) {
            int[] c = candidates.get(i);
            if (ids.length > c.length && Arrays.equals(ids, 0, c.length, c, 0, c.length)) {
                return i;
            }
        }
        return -1;
    }

    /** How many candidate prefixes there are (indexes 0 .. count-1 for {@link #get}). */
    public int candidateCount() {
        return candidates.size();
    }

    /** Length in tokens of candidate {@code index}. */
    public int length(int index) {
        return candidates.get(index).length;
    }

    /** The cached state of candidate {@code index}, running the prefix through the model on first use. */
    public synchronized CachedPrefix get(int index) {
        if (computed[index] == null) {
            computed[index] = model.prefill(candidates.get(index), pass);
        }
        return computed[index];
    }

    /** Tokens run so far to build cached prefixes. */
    public synchronized int tokensComputed() {
        int n = 0;
        for (CachedPrefix p : computed) {
            n += p == null ? 0 : p.length();
        }
        return n;
    }
}
