package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The tiled matmul against a double-precision scalar reference on random fp32 data. */
class MatmulTest {

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** out[t][n] = Σ_k x[t][k]·w[n][k] in double. */
    static double[] reference(float[] x, int rows, float[] w, int n, int k) {
        double[] out = new double[rows * n];
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int kk = 0; kk < k; kk++) {
                    s += (double) x[t * k + kk] * w[j * k + kk];
                }
                out[t * n + j] = s;
            }
        }
        return out;
    }

    static void assertClose(double[] expected, float[] actual, int k, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 * Math.sqrt(k) * 4 + 1e-5 * Math.abs(expected[i]);
            assertEquals(expected[i], actual[i], tol, what + " at " + i);
        }
    }

    @ParameterizedTest(name = "T={0} K={1} N={2} threads={3}")
    @CsvSource({
        "1, 7, 1, 1",
        "3, 19, 5, 2",
        "5, 64, 49, 2",
        "13, 100, 97, 2",
        "37, 576, 192, 3",
        "4, 33, 48, 1",
    })
    void matchesScalarReference(int rows, int k, int n, int threads) {
        Random r = new Random(rows * 31L + k * 7L + n);
        float[] x = random(r, rows * k);
        float[] w = random(r, n * k);
        float[] out = new float[rows * n];
        try (Kernels kernels = Kernels.vector(threads)) {
            kernels.matmul(x, rows, new DenseMatrix(w, n, k), out);
        }
        assertClose(reference(x, rows, w, n, k), out, k, "matmul");
    }

    @Test
    void everyBatchSizeGivesEachRowTheBitsOfTheWholeBatch() {
        // batches of every size up to three full tiles and a tail of 4 + 2 + 1: the tail tiles sum like the full one
        Random r = new Random(11);
        int k = 61, n = Matmul.NR + 5;
        float[] w = random(r, n * k);
        int most = 3 * Matmul.MR + 7;
        float[] x = random(r, most * k);
        float[] all = new float[most * n];
        try (Kernels kernels = Kernels.vector(2)) {
            DenseMatrix m = new DenseMatrix(w, n, k);
            kernels.matmul(x, most, m, all);
            for (int rows = 1; rows < most; rows++) {
                float[] part = new float[rows * n];
                kernels.matmul(x, rows, m, part);
                assertArrayEquals(java.util.Arrays.copyOf(all, rows * n), part, rows + " rows");
            }
        }
    }

    @Test
    void productsRunAsOneLoopGiveEachItsOwnBits() {
        // q, k, v as one loop over their panels: widths that do and do not fill a panel, one of them packed
        Random r = new Random(17);
        int k = 40, rows = 9;
        int[] widths = {2 * Matmul.NR + 3, Matmul.NR, 5};
        float[] x = random(r, rows * k);
        WeightMatrix[] ws = new WeightMatrix[widths.length];
        float[][] alone = new float[widths.length][], together = new float[widths.length][];
        try (Kernels kernels = Kernels.vector(2)) {
            for (int i = 0; i < widths.length; i++) {
                ws[i] = new DenseMatrix(random(r, widths[i] * k), widths[i], k);
                alone[i] = new float[rows * widths[i]];
                kernels.matmul(x, rows, ws[i], alone[i]);
                together[i] = new float[rows * widths[i]];
            }
            ws[1] = PackedMatrix.of(ws[1]);
            kernels.matmuls(x, rows, ws, together);
            for (int i = 0; i < widths.length; i++) {
                assertArrayEquals(alone[i], together[i], "product " + i);
            }
            WeightMatrix[] mixed = {ws[0], new DenseMatrix(new float[3 * (k + 1)], 3, k + 1)};
            assertThrows(IllegalArgumentException.class, () -> kernels.matmuls(x, rows, mixed, new float[][] {together[0], new float[3 * rows]}));
        }
    }

    @Test
    void aPackedWeightCutIntoRowBlocksGivesTheStreamedBits() {
        // every panel packed: the rows are cut into blocks as well as the columns into panels
        Random r = new Random(23);
        int k = 33, n = 2 * Matmul.NR + 7;
        float[] w = random(r, n * k);
        PackedMatrix packed = PackedMatrix.of(new DenseMatrix(w, n, k));
        assertTrue(packed.complete());
        try (Kernels kernels = Kernels.vector(3)) {
            for (int rows : new int[] {1, 4 * Matmul.MR + 1, 13 * Matmul.MR + 5, 40 * Matmul.MR}) {
                float[] x = random(r, rows * k);
                float[] streamed = new float[rows * n], fromPanels = new float[rows * n];
                kernels.matmul(x, rows, new DenseMatrix(w, n, k), streamed);
                kernels.matmul(x, rows, packed, fromPanels);
                assertArrayEquals(streamed, fromPanels, rows + " rows");
            }
        }
    }

    @Test
    void rowResultDoesNotDependOnBatch() {
        Random r = new Random(5);
        int k = 96, n = 70;
        float[] w = random(r, n * k);
        float[] x = random(r, 23 * k);
        float[] all = new float[23 * n];
        float[] one = new float[n];
        try (Kernels kernels = Kernels.vector(2)) {
            DenseMatrix m = new DenseMatrix(w, n, k);
            kernels.matmul(x, 23, m, all);
            for (int t : new int[] {0, 6, 22}) {
                float[] row = java.util.Arrays.copyOfRange(x, t * k, (t + 1) * k);
                kernels.matmul(row, 1, m, one);
                assertArrayEquals(java.util.Arrays.copyOfRange(all, t * n, (t + 1) * n), one, "row " + t);
            }
        }
    }
}
