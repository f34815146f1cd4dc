package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attention's probability-weighted sum of values, held in registers chunk by chunk, is bit for bit the sum by one
 * axpy per value (the same fmas in the same order for every column), at every head width and on whatever vector
 * width this JVM runs (the suite runs natively; {@code -XX:UseAVX=2} and {@code -XX:MaxVectorSize=16} run it on 8 and
 * 4 lanes).
 */
class WeightedSumTest {
    @ParameterizedTest(name = "headDim={0}")
    @ValueSource(ints = {4, 20, 32, 64, 80, 96, 128, 200, 256})
    void chunksInRegistersGiveTheAxpyBits(int hd) {
        Random r = new Random(hd);
        int stride = 3 * hd + 5; // kv rows wider than a head, the head at an odd offset
        for (int[] counts : new int[][] {{0, 1}, {3, 1}, {80, 17}, {1, 40}}) {
            int past = counts[0], n = counts[1];
            float[] probs = new float[7 + past + n];
            for (int i = 0; i < probs.length; i++) probs[i] = r.nextFloat();
            float[] pastV = gaussian(r, past * stride + stride), v = gaussian(r, n * stride + stride);
            int pvo = hd + 3, vo = 2 * hd + 1, qo = 11, row = 7;
            float[] out = gaussian(r, qo + hd + 9), expected = out.clone();
            CausalAttention.weightedSum(probs, row, past, pastV, pvo, n, v, vo, stride, out, qo, hd);
            Arrays.fill(expected, qo, qo + hd, 0f);
            for (int j = 0; j < past; j++) VectorMath.axpy(probs[row + j], pastV, pvo + j * stride, expected, qo, hd);
            for (int j = 0; j < n; j++) VectorMath.axpy(probs[row + past + j], v, vo + j * stride, expected, qo, hd);
            assertArrayEquals(expected, out, "past " + past + ", own " + n + ": the head's columns and nothing beside them");
        }
    }

    private static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }
}
