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
     * @param past    rows every sequence sees before its own (a shared prefix), or {@link KvPrefix#EMPTY}
     * @param out     [T × heads·headDim]
     */
    static void attend(Parallel parallel, float[] q, float[] k, float[] v, int[] offsets, KvPrefix past, AttentionShape shape, float[] out) {
        past.requireWidth(shape);
        int sequences = offsets.length - 1;
        int hd = shape.headDim();
        int p = past.length();
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
            int len = offsets[s + 1] - offsets[s];
            transpose(k, offsets[s], len, shape.kvWidth(), h * hd, hd, kt, ktStart[s] + h * hd * padded(len));
        });
        // the prefix's kᵀ once per kv head, shared by every sequence: pastKt[h·hd·padded(p) + d·padded(p) + j]
        float[] pastKt = new float[shape.kvHeads() * hd * padded(p)];
        for (int h = 0; h < shape.kvHeads(); h++) {
            transpose(past.keys(), 0, p, shape.kvWidth(), h * hd, hd, pastKt, h * hd * padded(p));
        }
        int scoresLength = QUERY_BLOCK * (p + padded(longest));
        parallel.forEach(itemStart[sequences], () -> new float[scoresLength], (scores, item) -> {
            int s = findSequence(itemStart, item);
            int local = item - itemStart[s];
            int len = offsets[s + 1] - offsets[s];
            int blocks = (len + QUERY_BLOCK - 1) / QUERY_BLOCK;
            int head = local / blocks;
            int from = (local % blocks) * QUERY_BLOCK;
            int kvHead = head / (shape.heads() / shape.kvHeads());
            Keys keys = new Keys(kt, ktStart[s] + kvHead * hd * padded(len), padded(len),
                    pastKt, kvHead * hd * padded(p), padded(p), past.values(), p);
            attendBlock(q, keys, v, out, offsets[s], from, Math.min(len, from + QUERY_BLOCK), head, kvHead, shape, scores);
        });
    }

    /**
     * Where one (sequence, kv head)'s keys live: its own kᵀ block and the shared prefix's kᵀ block and
     * values. Scores rows hold the prefix's keys first, then the sequence's own, {@code stride} apart.
     */
    private record Keys(float[] kt, int ktBase, int pl, float[] pastKt, int pastBase, int pastPl, float[] pastV, int past) {
        int stride() {
            return past + pl;
        }
    }

    /** dst[dstBase + d·padded(rows) + j] = src[(firstRow + j)·width + col + d] for j < rows, d < hd. */
    private static void transpose(float[] src, int firstRow, int rows, int width, int col, int hd, float[] dst, int dstBase) {
        int pl = padded(rows);
        for (int j = 0; j < rows; j++) {
            int from = (firstRow + j) * width + col;
            for (int d = 0; d < hd; d++) {
                dst[dstBase + d * pl + j] = src[from + d];
            }
        }
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
    private static void attendBlock(float[] q, Keys keys, float[] v, float[] out, int seqStart,
            int from, int to, int head, int kvHead, AttentionShape shape, float[] scores) {
        int hd = shape.headDim();
        int qw = shape.qWidth();
        int kvw = shape.kvWidth();
        int p = keys.past();
        int stride = keys.stride();
        // scores[(i - from)·stride + j] = scale · q_i · k_j: the prefix's keys j < p, then the sequence's own
        // at p + j. Each lane sums over the head dims in order, so a score does not depend on the tiling.
        for (int i0 = from; i0 < to; i0 += 4) {
            int q0 = (seqStart + i0) * qw + head * hd;
            int q1 = (seqStart + Math.min(i0 + 1, to - 1)) * qw + head * hd; // absent rows repeat the last query
            int q2 = (seqStart + Math.min(i0 + 2, to - 1)) * qw + head * hd;
            int q3 = (seqStart + Math.min(i0 + 3, to - 1)) * qw + head * hd;
            int row = (i0 - from) * stride;
            int valid = Math.min(4, to - i0);
            // prefix first: its last block spills past p and is overwritten by the own keys below
            for (int j = 0; j < p; j += L) {
                scoreTile(q, q0, q1, q2, q3, keys.pastKt(), keys.pastBase() + j, keys.pastPl(), hd, shape.scale(), scores, row + j, stride, valid);
            }
            int own = Math.min(i0 + 4, to); // the group's last query sees own keys 0..own-1
            for (int j = 0; j < own; j += L) {
                scoreTile(q, q0, q1, q2, q3, keys.kt(), keys.ktBase() + j, keys.pl(), hd, shape.scale(), scores, row + p + j, stride, valid);
            }
        }
        float[] pastV = keys.pastV();
        int window = shape.window();
        for (int i = from; i < to; i++) {
            int row = (i - from) * stride;
            int n = p + i + 1;
            int qo = (seqStart + i) * qw + head * hd;
            // sliding window: only the last `window` keys, counted over prefix + own positions
            int first = window > 0 ? Math.max(0, n - window) : 0;
            VectorMath.softmax(scores, row + first, n - first);
            int pastFrom = Math.min(first, p);         // prefix rows pastFrom .. p-1
            int ownFrom = Math.max(0, first - p);      // own rows ownFrom .. i
            int vo = (seqStart + ownFrom) * kvw + kvHead * hd;
            int pvo = pastFrom * kvw + kvHead * hd;
            if (hd == 4 * L) { // a head of 64 on 512-bit vectors, called directly
                weightedSum4(scores, row + first, p - pastFrom, pastV, pvo, i + 1 - ownFrom, v, vo, kvw, out, qo);
            } else {
                weightedSum(scores, row + first, p - pastFrom, pastV, pvo, i + 1 - ownFrom, v, vo, kvw, out, qo, hd);
            }
        }
    }

    /**
     * out[qo .. qo+hd) = Σ_j p[row+j] · value_j (the prefix's {@code past} values, then the sequence's own {@code n}),
     * the head in chunks of eight, then four vectors held in registers, each chunk over all the values (an axpy per
     * value would load and store the whole head each time: under AVX2 that was half of attention's time with a
     * 80-row prefix); columns past the last whole chunk by axpy. Every column sums its values in the same order
     * with the same fmas whatever the chunking, so the result is the same bits on any vector width.
     */
    static void weightedSum(float[] p, int row, int past, float[] pastV, int pvo, int n, float[] v, int vo, int stride,
            float[] out, int qo, int hd) {
        int c = 0;
        for (; c + 8 * L <= hd; c += 8 * L) {
            weightedSum8(p, row, past, pastV, pvo + c, n, v, vo + c, stride, out, qo + c);
        }
        for (; c + 4 * L <= hd; c += 4 * L) {
            weightedSum4(p, row, past, pastV, pvo + c, n, v, vo + c, stride, out, qo + c);
        }
        if (c < hd) {
            java.util.Arrays.fill(out, qo + c, qo + hd, 0f);
            for (int j = 0; j < past; j++) {
                VectorMath.axpy(p[row + j], pastV, pvo + c + j * stride, out, qo + c, hd - c);
            }
            for (int j = 0; j < n; j++) {
                VectorMath.axpy(p[row + past + j], v, vo + c + j * stride, out, qo + c, hd - c);
            }
        }
    }

    /** {@link #weightedSum4} over eight vectors of the head (256-bit vectors: a head of 64). */
    private static void weightedSum8(float[] p, int row, int past, float[] pastV, int pvo, int n, float[] v, int vo, int stride,
            float[] out, int qo) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int j = 0, vi = pvo; j < past; j++, vi += stride) {
            FloatVector pj = FloatVector.broadcast(S, p[row + j]);
            a0 = FloatVector.fromArray(S, pastV, vi).fma(pj, a0);
            a1 = FloatVector.fromArray(S, pastV, vi + L).fma(pj, a1);
            a2 = FloatVector.fromArray(S, pastV, vi + 2 * L).fma(pj, a2);
            a3 = FloatVector.fromArray(S, pastV, vi + 3 * L).fma(pj, a3);
            a4 = FloatVector.fromArray(S, pastV, vi + 4 * L).fma(pj, a4);
            a5 = FloatVector.fromArray(S, pastV, vi + 5 * L).fma(pj, a5);
            a6 = FloatVector.fromArray(S, pastV, vi + 6 * L).fma(pj, a6);
            a7 = FloatVector.fromArray(S, pastV, vi + 7 * L).fma(pj, a7);
        }
        for (int j = 0, vi = vo; j < n; j++, vi += stride) {
            FloatVector pj = FloatVector.broadcast(S, p[row + past + j]);
            a0 = FloatVector.fromArray(S, v, vi).fma(pj, a0);
            a1 = FloatVector.fromArray(S, v, vi + L).fma(pj, a1);
            a2 = FloatVector.fromArray(S, v, vi + 2 * L).fma(pj, a2);
            a3 = FloatVector.fromArray(S, v, vi + 3 * L).fma(pj, a3);
            a4 = FloatVector.fromArray(S, v, vi + 4 * L).fma(pj, a4);
            a5 = FloatVector.fromArray(S, v, vi + 5 * L).fma(pj, a5);
            a6 = FloatVector.fromArray(S, v, vi + 6 * L).fma(pj, a6);
            a7 = FloatVector.fromArray(S, v, vi + 7 * L).fma(pj, a7);
        }
        a0.intoArray(out, qo);
        a1.intoArray(out, qo + L);
        a2.intoArray(out, qo + 2 * L);
        a3.intoArray(out, qo + 3 * L);
        a4.intoArray(out, qo + 4 * L);
        a5.intoArray(out, qo + 5 * L);
        a6.intoArray(out, qo + 6 * L);
        a7.intoArray(out, qo + 7 * L);
    }

    /** Four queries × one vector of keys: scores[row + r·stride ..] for the first {@code valid} queries. */
    private static void scoreTile(float[] q, int q0, int q1, int q2, int q3, float[] kt, int ki0, int pl, int hd, float scale,
            float[] scores, int row, int stride, int valid) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int d = 0, ki = ki0; d < hd; d++, ki += pl) {
            FloatVector kv = FloatVector.fromArray(S, kt, ki);
            c0 = kv.fma(FloatVector.broadcast(S, q[q0 + d]), c0);
            c1 = kv.fma(FloatVector.broadcast(S, q[q1 + d]), c1);
            c2 = kv.fma(FloatVector.broadcast(S, q[q2 + d]), c2);
            c3 = kv.fma(FloatVector.broadcast(S, q[q3 + d]), c3);
        }
        c0.mul(scale).intoArray(scores, row);
        if (valid > 1) c1.mul(scale).intoArray(scores, row + stride);
        if (valid > 2) c2.mul(scale).intoArray(scores, row + 2 * stride);
        if (valid > 3) c3.mul(scale).intoArray(scores, row + 3 * stride);
    }

    /**
     * out[qo .. qo+4L) = Σ_j p[row+j] · value_j over the prefix's {@code past} values, then the sequence's
     * own {@code n} values, the head held in four vector registers (head dim 64 with 512-bit vectors, or
     * 32 with 256-bit ones). Same fma order as the generic axpy path.
     */
    private static void weightedSum4(float[] p, int row, int past, float[] pastV, int pvo, int n, float[] v, int vo, int stride,
            float[] out, int qo) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        for (int j = 0, vi = pvo; j < past; j++, vi += stride) {
            FloatVector pj = FloatVector.broadcast(S, p[row + j]);
            a0 = FloatVector.fromArray(S, pastV, vi).fma(pj, a0);
            a1 = FloatVector.fromArray(S, pastV, vi + L).fma(pj, a1);
            a2 = FloatVector.fromArray(S, pastV, vi + 2 * L).fma(pj, a2);
            a3 = FloatVector.fromArray(S, pastV, vi + 3 * L).fma(pj, a3);
        }
        for (int j = 0, vi = vo; j < n; j++, vi += stride) {
            FloatVector pj = FloatVector.broadcast(S, p[row + past + j]);
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

    /**
     * Backward of {@link #attend} without a prefix (training runs whole prompts): given dOut
     * [T × heads·headDim], writes dq [T × heads·headDim] and dk, dv [T × kvHeads·headDim] (overwritten).
     * Per query i of a head, with P = softmax(scale · q_i·k_j) over the keys it sees:
     * dv_j += P_j · dO_i; dP_j = dO_i · v_j; dS_j = P_j (dP_j − Σ_l P_l dP_l);
     * dq_i = scale · Σ_j dS_j k_j; dk_j += scale · dS_j q_i. P is recomputed, never stored. Work items are
     * (sequence, kv head) with that kv head's query heads inside, so no two threads add into one dk/dv row.
     */
    static void backward(Parallel parallel, float[] q, float[] k, float[] v, int[] offsets, AttentionShape shape,
            float[] dOut, float[] dq, float[] dk, float[] dv) {
        int sequences = offsets.length - 1;
        int hd = shape.headDim();
        int qw = shape.qWidth();
        int kvw = shape.kvWidth();
        int group = shape.heads() / shape.kvHeads();
        int rows = offsets[sequences];
        java.util.Arrays.fill(dk, 0, rows * kvw, 0f);
        java.util.Arrays.fill(dv, 0, rows * kvw, 0f);
        int widest = 0;
        for (int s = 0; s < sequences; s++) {
            widest = Math.max(widest, offsets[s + 1] - offsets[s]);
        }
        int longest = widest, scratch = 2 * widest;
        parallel.forEach(sequences * shape.kvHeads(), () -> new float[scratch], (buf, item) -> {
            int s = item / shape.kvHeads(), kvHead = item % shape.kvHeads();
            int start = offsets[s], len = offsets[s + 1] - start;
            for (int head = kvHead * group; head < (kvHead + 1) * group; head++) {
                for (int i = 0; i < len; i++) {
                    int qo = (start + i) * qw + head * hd;
                    int first = shape.window() > 0 ? Math.max(0, i + 1 - shape.window()) : 0;
                    int n = i + 1 - first;
                    for (int j = 0; j < n; j++) { // scores, then probabilities, over keys first..i
                        buf[j] = shape.scale() * VectorMath.dot(q, qo, k, (start + first + j) * kvw + kvHead * hd, hd);
                    }
                    VectorMath.softmax(buf, 0, n);
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        int vo = (start + first + j) * kvw + kvHead * hd;
                        float dp = VectorMath.dot(dOut, qo, v, vo, hd);
                        buf[longest + j] = dp;
                        sum += (double) buf[j] * dp;
                        VectorMath.axpy(buf[j], dOut, qo, dv, vo, hd);
                    }
                    java.util.Arrays.fill(dq, qo, qo + hd, 0f);
                    for (int j = 0; j < n; j++) {
                        int ko = (start + first + j) * kvw + kvHead * hd;
                        float ds = shape.scale() * buf[j] * (float) (buf[longest + j] - sum);
                        VectorMath.axpy(ds, k, ko, dq, qo, hd);
                        VectorMath.axpy(ds, q, qo, dk, ko, hd);
                    }
                }
            }
        });
    }
}
