package dev.sentemb.tokenizer;

import java.util.Arrays;

/**
 * BPE merges as a primitive hash table: pair of token ids to (rank, merged id). Open addressing on
 * long keys, so a lookup in the hot loop allocates nothing. A pair listed twice keeps its later
 * rank, as HF tokenizers' merge map does.
 */
final class MergeTable {
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final long[] values;
    private final int mask;
    private final int[] mergedIdByRank;

    MergeTable(int capacityHint) {
        int cap = Integer.highestOneBit(Math.max(16, capacityHint * 2 - 1)) << 1;
        keys = new long[cap];
        values = new long[cap];
        Arrays.fill(keys, EMPTY);
        mask = cap - 1;
        mergedIdByRank = new int[capacityHint];
        Arrays.fill(mergedIdByRank, -1);
    }

    void put(int left, int right, int rank, int merged) {
        long key = key(left, right);
        int slot = slot(key);
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = ((long) rank << 32) | (merged & 0xFFFFFFFFL);
        mergedIdByRank[rank] = merged;
    }

    /** (rank &lt;&lt; 32 | merged id) for the pair, or -1 when the pair does not merge. */
    long get(int left, int right) {
        long key = key(left, right);
        int slot = slot(key);
        long k;
        while ((k = keys[slot]) != EMPTY) {
            if (k == key) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return -1L;
    }

    /** The id the merge of this rank produces. */
    int mergedId(int rank) {
        return mergedIdByRank[rank];
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
