package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packed causal GQA attention against a per-sequence scalar reference. */
class AttentionTest {

    static double[] reference(float[] q, float[] k, float[] v, int[] offsets, AttentionShape s) {
        int qw = s.qWidth(), kvw = s.kvWidth(), hd = s.headDim();
        double[] out = new double[q.length];
        for (int seq = 0; seq + 1 < offsets.length; seq++) {
            for (int t = offsets[seq]; t < offsets[seq + 1]; t++) {
                for (int h = 0; h < s.heads(); h++) {
                    int kh = h / (s.heads() / s.kvHeads());
                    int n = t - offsets[seq] + 1;
                    double[] p = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        double d = 0;
                        for (int i = 0; i < hd; i++) d += (double) q[t * qw + h * hd + i] * k[(offsets[seq] + j) * kvw + kh * hd + i];
                        p[j] = d * s.scale();
                        max = Math.max(max, p[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) sum += p[j] = Math.exp(p[j] - max);
                    for (int j = 0; j < n; j++) {
                        for (int i = 0; i < hd; i++) out[t * qw + h * hd + i] += p[j] / sum * v[(offsets[seq] + j) * kvw + kh * hd + i];
                    }
                }
            }
        }
        return out;
    }

    /** Head dims: odd-sized (axpy only), 64 (four 512-bit vectors, eight 256-bit ones), 80 (chunks and a tail), 128, 256. */
    @ParameterizedTest(name = "headDim={0}")
    @ValueSource(ints = {20, 64, 80, 128, 256})
    void packedSequencesMatchReferenceAndEachOther(int hd) {
        AttentionShape shape = new AttentionShape(6, 2, hd, (float) (1 / Math.sqrt(hd)));
        int[] offsets = {0, 1, 41, 48, 120};
        int rows = offsets[offsets.length - 1];
        Random r = new Random(4);
        float[] q = MatmulTest.random(r, rows * shape.qWidth());
        float[] k = MatmulTest.random(r, rows * shape.kvWidth());
        float[] v = MatmulTest.random(r, rows * shape.kvWidth());
        float[] out = new float[q.length];
        try (Kernels kernels = Kernels.vector(2)) {
            kernels.attention(q, k, v, offsets, shape, out);
            double[] ref = reference(q, k, v, offsets, shape);
            for (int i = 0; i < out.length; i++) {
                assertEquals(ref[i], out[i], 1e-5, "at " + i);
            }
            // the third sequence alone gives bitwise the same rows
            int a = offsets[2], b = offsets[3];
            float[] alone = new float[(b - a) * shape.qWidth()];
            kernels.attention(Arrays.copyOfRange(q, a * shape.qWidth(), b * shape.qWidth()),
                    Arrays.copyOfRange(k, a * shape.kvWidth(), b * shape.kvWidth()),
                    Arrays.copyOfRange(v, a * shape.kvWidth(), b * shape.kvWidth()), new int[] {0, b - a}, shape, alone);
            assertArrayEquals(Arrays.copyOfRange(out, a * shape.qWidth(), b * shape.qWidth()), alone);
        }
    }
}
