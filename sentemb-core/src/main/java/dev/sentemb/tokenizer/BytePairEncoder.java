package dev.sentemb.tokenizer;

/**
 * Runs BPE merges over one pre-tokenized piece, in HF tokenizers' order: repeatedly apply the
 * lowest-ranked adjacent pair, leftmost first among equal ranks, until none merges. A min-heap of
 * (rank, position) with lazy invalidation keeps long pieces (runs of spaces, long words) at
 * O(n log n). Stateless: all scratch space is per call.
 */
final class BytePairEncoder {
    private final MergeTable merges;
    private final int[] byteIds;

    /**
     * {@code byteIds[b]}: the token of the single byte b, or -1 when the vocabulary has none; such
     * bytes are dropped before merging (HF BPE without an unknown token does that), so their
     * neighbours become adjacent.
     */
    BytePairEncoder(MergeTable merges, int[] byteIds) {
        this.merges = merges;
        this.byteIds = byteIds;
    }

    /** For callers that build the initial symbols themselves and only call {@link #merge}. */
    BytePairEncoder(MergeTable merges) {
        this(merges, null);
    }

    int[] encode(byte[] bytes) {
        int[] ids = new int[bytes.length];
        int n = 0;
        for (byte b : bytes) {
            int id = byteIds[b & 0xFF];
            if (id >= 0) {
                ids[n++] = id;
            }
        }
        return merge(ids, n);
    }

    /** Merges the symbols ids[0..n) (overwriting ids) and returns the resulting tokens. */
    int[] merge(int[] ids, int n) {
        if (n < 2) {
            return n == ids.length ? ids : java.util.Arrays.copyOf(ids, n);
        }
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            long m = merges.get(ids[i], ids[i + 1]);
            if (m >= 0) {
                heap.push((m & 0xFFFFFFFF00000000L) | i);
            }
        }
        int alive = n;
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            int right = next[pos];
            if (ids[pos] < 0 || right < 0) {
                continue;
            }
            long m = merges.get(ids[pos], ids[right]);
            int target = merges.mergedId(rank);
            if (m < 0 || (int) m != target) {
                continue; // stale: this pair changed since it was queued
            }
            ids[pos] = target;
            ids[right] = -1;
            int after = next[right];
            next[pos] = after;
            if (after >= 0) {
                prev[after] = pos;
            }
            alive--;
            int before = prev[pos];
            if (before >= 0) {
                long mb = merges.get(ids[before], ids[pos]);
                if (mb >= 0) {
                    heap.push((mb & 0xFFFFFFFF00000000L) | before);
                }
            }
            if (after >= 0) {
                long ma = merges.get(ids[pos], ids[after]);
                if (ma >= 0) {
                    heap.push((ma & 0xFFFFFFFF00000000L) | pos);
                }
            }
        }
        int[] out = new int[alive];
        for (int i = 0, k = 0; k < alive; i = next[i]) {
            out[k++] = ids[i];
        }
        return out;
    }

    /** A binary min-heap of longs. */
    private static final class LongHeap {
        private long[] a;
        private int size;

        LongHeap(int capacity) {
            a = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == a.length) {
                a = java.util.Arrays.copyOf(a, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (a[p] <= v) {
                    break;
                }
                a[i] = a[p];
                i = p;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long last = a[--size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int c = 2 * i + 1;
                if (c + 1 < size && a[c + 1] < a[c]) {
                    c++;
                }
                if (a[c] >= last) {
                    break;
                }
                a[i] = a[c];
                i = c;
            }
            a[i] = last;
            return top;
        }
    }
}
