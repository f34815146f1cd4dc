package dev.sentemb.kernel;

/**
 * Causal grouped-query attention over a packed batch: sequences lie back to back in q/k/v and each
 * token attends only to the tokens of its own sequence at or before it (and within the shape's
 * sliding window, if it has one). No padding and no mask
 * matrix exist, so a sequence's result cannot depend on its neighbours.
 *
 * <p>Work items are (sequence, head, block of {@link #QUERY_BLOCK} queries), claimed dynamically.
 */
final class CausalAttention {
    static final int QUERY_BLOCK = 32;

    private CausalAttention() {}

    /**
     * @param q       [T × heads·headDim]
     * @param k       [T × kvHeads·headDim]
     * @param v       [T × kvHeads·headDim]
     * @param offsets sequence s is rows offsets[s] .. offsets[s+1]-1
     * @param out     [T × heads·headDim]
     */
    static void attend(Parallel parallel, float[] q, float[] k, float[] v, int[] offsets, AttentionShape shape, float[] out) {
        int sequences = offsets.length - 1;
        int[] itemStart = new int[sequences + 1]; // first work item of each sequence
        int longest = 0;
        for (int s = 0; s < sequences; s++) {
            int len = offsets[s + 1] - offsets[s];
            longest = Math.max(longest, len);
            itemStart[s + 1] = itemStart[s] + shape.heads() * ((len + QUERY_BLOCK - 1) / QUERY_BLOCK);
        }
        int scoresLength = longest;
        parallel.forEach(itemStart[sequences], () -> new float[scoresLength], (scores, item) -> {
            int s = findSequence(itemStart, item);
            int local = item - itemStart[s];
            int len = offsets[s + 1] - offsets[s];
            int blocks = (len + QUERY_BLOCK - 1) / QUERY_BLOCK;
            int head = local / blocks;
            int block = local % blocks;
            int from = block * QUERY_BLOCK;
            attendBlock(q, k, v, out, offsets[s], from, Math.min(len, from + QUERY_BLOCK), head, shape, scores);
        });
    }

    private static int findSequence(int[] itemStart, int item) {
        int lo = 0, hi = itemStart.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (itemStart[mid] <= item) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    /** Queries from..to-1 (sequence-local) of one head of the sequence starting at row {@code seqStart}. */
    private static void attendBlock(float[] q, float[] k, float[] v, float[] out, int seqStart, int from, int to, int head, AttentionShape shape,
            float[] scores) {
        int hd = shape.headDim();
        int qw = shape.qWidth();
        int kvw = shape.kvWidth();
        int kvHead = head / (shape.heads() / shape.kvHeads());
        int window = shape.window();
        for (int i = from; i < to; i++) {
            int qo = (seqStart + i) * qw + head * hd;
            int first = window > 0 ? Math.max(0, i - window + 1) : 0; // sliding window: the last `window` keys
            for (int j = first; j <= i; j++) {
                scores[j] = VectorMath.dot(q, qo, k, (seqStart + j) * kvw + kvHead * hd, hd) * shape.scale();
            }
            VectorMath.softmax(scores, first, i + 1 - first);
            java.util.Arrays.fill(out, qo, qo + hd, 0f);
            for (int j = first; j <= i; j++) {
                VectorMath.axpy(scores[j], v, (seqStart + j) * kvw + kvHead * hd, out, qo, hd);
            }
        }
    }
}
