package dev.sentemb.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal grouped-query attention over a packed batch: sequences lie back to back in q/k/v and each
 * token attends only to the tokens of its own sequence at or before it (and, for a shape with a
 * sliding window, only to the last window of them). No padding and no mask
 * matrix exist, so a sequence's result cannot depend on its neighbours.
 *
 * <p>Keys are first transposed per (sequence, kv head) to kᵀ[headDim × keys], so scores come out of a
 * small register-tiled product (4 queries × one vector of keys, summed over the head dims in order)
 * with no lane reductions. Work items are (sequence, head, block of {@link #QUERY_BLOCK} queries),
 * claimed dynamically.
 */
final class CausalAttention {
    static final int QUERY_BLOCK = 32;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

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
        int hd = shape.headDim();
        int[] itemStart = new int[sequences + 1]; // first work item of each sequence
        int[] ktStart = new int[sequences + 1];   // where each sequence's kᵀ blocks start
        int longest = 0;
        for (int s = 0; s < sequences; s++) {
            int len = offsets[s + 1] - offsets[s];
            longest = Math.max(longest, len);
            itemStart[s + 1] = itemStart[s] + shape.heads() * ((len + QUERY_BLOCK - 1) / QUERY_BLOCK);
            ktStart[s + 1] = ktStart[s] + shape.kvHeads() * hd * padded(len);
        }
        // kᵀ of sequence s, kv head h: kt[ktStart[s] + h·hd·padded(len) + d·padded(len) + j] = k[row j][h][d]
        float[] kt = new float[ktStart[sequences]];
        parallel.forEach(sequences * shape.kvHeads(), item -> {
            int s = item / shape.kvHeads(), h = item % shape.kvHeads();
            int len = offsets[s + 1] - offsets[s], pl = padded(len);
            int base = ktStart[s] + h * hd * pl;
            for (int j = 0; j < len; j++) {
                int src = (offsets[s] + j) * shape.kvWidth() + h * hd;
                for (int d = 0; d < hd; d++) {
                    kt[base + d * pl + j] = k[src + d];
                }
            }
        });
        int scoresLength = QUERY_BLOCK * padded(longest);
        parallel.forEach(itemStart[sequences], () -> new float[scoresLength], (scores, item) -> {
            int s = findSequence(itemStart, item);
            int local = item - itemStart[s];
            int len = offsets[s + 1] - offsets[s];
            int blocks = (len + QUERY_BLOCK - 1) / QUERY_BLOCK;
            int head = local / blocks;
            int from = (local % blocks) * QUERY_BLOCK;
            int kvHead = head / (shape.heads() / shape.kvHeads());
            int ktBase = ktStart[s] + kvHead * hd * padded(len);
            attendBlock(q, kt, ktBase, padded(len), v, out, offsets[s], from, Math.min(len, from + QUERY_BLOCK), head, kvHead, shape, scores);
        });
    }

    private static int padded(int len) {
        return (len + L - 1) / L * L;
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
    private static void attendBlock(float[] q, float[] kt, int ktBase, int pl, float[] v, float[] out, int seqStart,
            int from, int to, int head, int kvHead, AttentionShape shape, float[] scores) {
        int hd = shape.headDim();
        int qw = shape.qWidth();
        int kvw = shape.kvWidth();
        // scores[(i - from)·pl + j] = scale · q_i · k_j for j < padded(i + 1)
        for (int i0 = from; i0 < to; i0 += 4) {
            int q0 = (seqStart + i0) * qw + head * hd;
            int q1 = (seqStart + Math.min(i0 + 1, to - 1)) * qw + head * hd; // absent rows repeat the last query
            int q2 = (seqStart + Math.min(i0 + 2, to - 1)) * qw + head * hd;
            int q3 = (seqStart + Math.min(i0 + 3, to - 1)) * qw + head * hd;
            int keys = Math.min(i0 + 4, to); // the block's last query sees keys 0..keys-1
            for (int j = 0; j < keys; j += L) {
                FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
                for (int d = 0, ki = ktBase + j; d < hd; d++, ki += pl) {
                    FloatVector kv = FloatVector.fromArray(S, kt, ki);
                    c0 = kv.fma(FloatVector.broadcast(S, q[q0 + d]), c0);
                    c1 = kv.fma(FloatVector.broadcast(S, q[q1 + d]), c1);
                    c2 = kv.fma(FloatVector.broadcast(S, q[q2 + d]), c2);
                    c3 = kv.fma(FloatVector.broadcast(S, q[q3 + d]), c3);
                }
                int row = (i0 - from) * pl + j;
                c0.mul(shape.scale()).intoArray(scores, row);
                if (i0 + 1 < to) c1.mul(shape.scale()).intoArray(scores, row + pl);
                if (i0 + 2 < to) c2.mul(shape.scale()).intoArray(scores, row + 2 * pl);
                if (i0 + 3 < to) c3.mul(shape.scale()).intoArray(scores, row + 3 * pl);
            }
        }
        int window = shape.window();
        for (int i = from; i < to; i++) {
            int row = (i - from) * pl;
            int qo = (seqStart + i) * qw + head * hd;
            int first = window > 0 ? Math.max(0, i - window + 1) : 0; // sliding window: only the last `window` keys
            int n = i + 1 - first;
            VectorMath.softmax(scores, row + first, n);
            int vo = (seqStart + first) * kvw + kvHead * hd;
            if (hd == 4 * L) {
                weightedSum4(scores, row + first, n, v, vo, kvw, out, qo);
            } else {
                java.util.Arrays.fill(out, qo, qo + hd, 0f);
                for (int j = 0; j < n; j++) {
                    VectorMath.axpy(scores[row + first + j], v, vo + j * kvw, out, qo, hd);
                }
            }
        }
    }

    /**
     * out[qo .. qo+4L) = Σ_j p[row+j] · v[vo + j·stride ..] for j < n, the head held in four vector
     * registers (head dim 64 with 512-bit vectors). Same fma order as the generic axpy path.
     */
    private static void weightedSum4(float[] p, int row, int n, float[] v, int vo, int stride, float[] out, int qo) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        for (int j = 0, vi = vo; j < n; j++, vi += stride) {
            FloatVector pj = FloatVector.broadcast(S, p[row + j]);
            a0 = FloatVector.fromArray(S, v, vi).fma(pj, a0);
            a1 = FloatVector.fromArray(S, v, vi + L).fma(pj, a1);
            a2 = FloatVector.fromArray(S, v, vi + 2 * L).fma(pj, a2);
            a3 = FloatVector.fromArray(S, v, vi + 3 * L).fma(pj, a3);
        }
        a0.intoArray(out, qo);
        a1.intoArray(out, qo + L);
        a2.intoArray(out, qo + 2 * L);
        a3.intoArray(out, qo + 3 * L);
    }
}
