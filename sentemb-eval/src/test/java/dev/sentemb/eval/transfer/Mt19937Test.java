package dev.sentemb.eval.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The draws SentEval's classifier makes, against numpy 2.4.6 and torch 2.15 with seed 1111
 * (tools/oracle/senteval_rng.py printed the expected values).
 */
class Mt19937Test {
    @Test
    void permutationsAreNumpysLegacyOnes() {
        Mt19937 r = new Mt19937(1111);
        assertArrayEquals(new int[] {9, 3, 8, 0, 6, 2, 4, 1, 5, 7}, r.permutation(10));
        assertArrayEquals(new int[] {1, 5, 6, 2, 4, 0, 3}, r.permutation(7));
        int[] p = r.permutation(100);
        assertArrayEquals(new int[] {63, 59, 57, 86, 66, 91, 19, 34, 67, 82}, java.util.Arrays.copyOf(p, 10));
    }

    @Test
    void linearInitIsTorchs() {
        float[][] w = new float[2][576];
        float[] b = new float[2];
        SentEvalClassifier.initLinear(new Mt19937(1111), w, b);
        assertEquals(-0.003283679485321045f, w[0][0]);
        assertEquals(-0.03458504378795624f, w[0][1]);
        assertEquals(0.02507895790040493f, w[0][2]);
        assertEquals(-0.00856867991387844f, w[0][3]);
        assertEquals(-0.03537321835756302f, w[1][575]);
        assertEquals(0.015428319573402405f, b[0]);
        assertEquals(0.017817318439483643f, b[1]);
    }
}
