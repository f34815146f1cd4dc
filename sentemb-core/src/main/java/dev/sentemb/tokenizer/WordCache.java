package dev.sentemb.tokenizer;

/**
 * A bounded, lock-free, lossy cache from a pre-tokenized piece to its token ids. Direct-mapped:
 * a piece lives in the slot its hash picks, and a newer piece simply replaces it. Entries are
 * immutable records (final fields), so threads racing on a slot each see either a whole entry or
 * none; the worst outcome of a race is a miss. Callers must not mutate the arrays it returns.
 */
final class WordCache {
    private record Entry(String word, int[] ids) {}

    private final Entry[] slots;
    private final int mask;

    WordCache(int capacity) {
        int cap = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        slots = new Entry[cap];
        mask = cap - 1;
    }

    int[] get(String word) {
        Entry e = slots[index(word)];
        return e != null && e.word.equals(word) ? e.ids : null;
    }

    void put(String word, int[] ids) {
        slots[index(word)] = new Entry(word, ids);
    }

    private int index(String word) {
        int h = word.hashCode();
        return (h ^ (h >>> 16)) & mask;
    }
}
