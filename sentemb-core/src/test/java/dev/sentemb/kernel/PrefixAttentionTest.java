package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Attention after a cached prefix equals, bit for bit, attention over prefix + sequence computed whole. */
class PrefixAttentionTest {

    @ParameterizedTest(name = "headDim={0} prefix={1}")
    @CsvSource({"20,1", "20,13", "64,8", "64,37", "64,70"})
    void packedSequencesAfterAPrefixEqualTheWholeSequences(int hd, int p) {
        AttentionShape shape = new AttentionShape(6, 2, hd, (float) (1 / Math.sqrt(hd)));
        int[] offsets = {0, 1, 41, 48, 83};
        int qw = shape.qWidth(), kvw = shape.kvWidth();
        Random r = new Random(7);
        int rows = offsets[offsets.length - 1];
        float[] q = MatmulTest.random(r, rows * qw), k = MatmulTest.random(r, rows * kvw), v = MatmulTest.random(r, rows * kvw);
        float[] pk = MatmulTest.random(r, p * kvw), pv = MatmulTest.random(r, p * kvw);
        float[] out = new float[rows * qw];
        try (Kernels kernels = Kernels.vector(2)) {
            kernels.attention(q, k, v, offsets, new KvPrefix(pk, pv, p), shape, out);
            for (int s = 0; s + 1 < offsets.length; s++) {
                int a = offsets[s], len = offsets[s + 1] - a;
                // the whole sequence: prefix rows (their queries are arbitrary) then the sequence's rows
                float[] wq = concat(MatmulTest.random(r, p * qw), Arrays.copyOfRange(q, a * qw, (a + len) * qw));
                float[] wk = concat(pk, Arrays.copyOfRange(k, a * kvw, (a + len) * kvw));
                float[] wv = concat(pv, Arrays.copyOfRange(v, a * kvw, (a + len) * kvw));
                float[] whole = new float[(p + len) * qw];
                kernels.attention(wq, wk, wv, new int[] {0, p + len}, shape, whole);
                assertArrayEquals(Arrays.copyOfRange(whole, p * qw, (p + len) * qw), Arrays.copyOfRange(out, a * qw, (a + len) * qw),
                        "sequence " + s);
            }
        }
    }

    @ParameterizedTest(name = "kvWidth mismatch {0}")
    @CsvSource({"3"})
    void aPrefixOfTheWrongWidthIsRefused(int p) {
        AttentionShape shape = new AttentionShape(2, 1, 8, 1f);
        float[] x = new float[2 * 16];
        try (Kernels kernels = Kernels.vector(1)) {
            KvPrefix wrong = new KvPrefix(new float[p * 4], new float[p * 4], p);
            assertThrows(IllegalArgumentException.class,
                    () -> kernels.attention(x, new float[16], new float[16], new int[] {0, 2}, wrong, shape, new float[32]));
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
