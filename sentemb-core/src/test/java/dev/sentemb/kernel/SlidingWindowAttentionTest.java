package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Local attention (Gemma's sliding window): query t of a sequence must attend exactly to keys
 * max(start, t-window+1) .. t. The reference is plain causal attention run on just those keys, with
 * query t as the last row.
 */
class SlidingWindowAttentionTest {
    private static final AttentionShape GLOBAL = new AttentionShape(4, 1, 16, 0.25f);

    @Test
    void eachQuerySeesOnlyTheLastWindowKeys() {
        int window = 7;
        AttentionShape shape = GLOBAL.withWindow(window);
        int[] offsets = {0, 3, 30, 31, 60};
        int rows = offsets[offsets.length - 1];
        Random r = new Random(11);
        float[] q = MatmulTest.random(r, rows * shape.qWidth());
        float[] k = MatmulTest.random(r, rows * shape.kvWidth());
        float[] v = MatmulTest.random(r, rows * shape.kvWidth());
        float[] out = new float[q.length];
        try (Kernels kernels = Kernels.vector(2)) {
            kernels.attention(q, k, v, offsets, shape, out);
        }
        int qw = shape.qWidth(), kvw = shape.kvWidth();
        for (int s = 0; s + 1 < offsets.length; s++) {
            for (int t = offsets[s]; t < offsets[s + 1]; t++) {
                int first = Math.max(offsets[s], t - window + 1);
                int n = t - first + 1;
                float[] qs = new float[n * qw];
                System.arraycopy(q, t * qw, qs, (n - 1) * qw, qw);
                double[] ref = AttentionTest.reference(qs, Arrays.copyOfRange(k, first * kvw, (t + 1) * kvw),
                        Arrays.copyOfRange(v, first * kvw, (t + 1) * kvw), new int[] {0, n}, GLOBAL);
                for (int i = 0; i < qw; i++) {
                    assertEquals(ref[(n - 1) * qw + i], out[t * qw + i], 1e-5, "row " + t + " col " + i);
                }
            }
        }
    }

    @Test
    void windowAtLeastTheSequenceIsGlobalAttention() {
        int[] offsets = {0, 12, 20};
        Random r = new Random(3);
        float[] q = MatmulTest.random(r, 20 * GLOBAL.qWidth());
        float[] k = MatmulTest.random(r, 20 * GLOBAL.kvWidth());
        float[] v = MatmulTest.random(r, 20 * GLOBAL.kvWidth());
        float[] global = new float[q.length];
        float[] windowed = new float[q.length];
        float[] narrow = new float[q.length];
        try (Kernels kernels = Kernels.vector(2)) {
            kernels.attention(q, k, v, offsets, GLOBAL, global);
            kernels.attention(q, k, v, offsets, GLOBAL.withWindow(12), windowed);
            kernels.attention(q, k, v, offsets, GLOBAL.withWindow(11), narrow);
        }
        assertArrayEquals(global, windowed);
        // with one key fewer, the 12th token of the first sequence must change
        int row = 11 * GLOBAL.qWidth();
        assertEquals(false, Arrays.equals(global, row, row + GLOBAL.qWidth(), narrow, row, row + GLOBAL.qWidth()));
    }

    @Test
    void windowOfOneReturnsOwnValue() {
        AttentionShape one = GLOBAL.withWindow(1);
        Random r = new Random(5);
        float[] q = MatmulTest.random(r, 9 * one.qWidth());
        float[] k = MatmulTest.random(r, 9 * one.kvWidth());
        float[] v = MatmulTest.random(r, 9 * one.kvWidth());
        float[] out = new float[q.length];
        try (Kernels kernels = Kernels.vector(1)) {
            kernels.attention(q, k, v, new int[] {0, 9}, one, out);
        }
        for (int t = 0; t < 9; t++) {
            for (int h = 0; h < one.heads(); h++) {
                for (int i = 0; i < one.headDim(); i++) {
                    assertEquals(v[t * one.kvWidth() + i], out[t * one.qWidth() + h * one.headDim() + i], 1e-6f);
                }
            }
        }
    }

    @Test
    void negativeWindowIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> GLOBAL.withWindow(-1));
    }
}
