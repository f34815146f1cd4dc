package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.testing.TestModels;
import dev.sentemb.weights.Dequant;
import dev.sentemb.weights.GgmlType;
import dev.sentemb.weights.GgufFile;
import dev.sentemb.weights.GgufTensor;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The matmul on real quantized weights: for every weight type in each model file, its smallest 2-D
 * tensor, against a double-precision reference built from whole rows decoded by {@link Dequant}; the
 * same for training's input gradient dy·W, which decodes strips of columns, and those strips themselves.
 */
class GgufMatmulTest {

    @ParameterizedTest
    @ValueSource(strings = {"smollm2-135m", "qwen2.5-coder-0.5b"})
    void everyWeightTypeOfTheFileMatchesTheScalarReference(String model) {
        Set<GgmlType> expected = model.startsWith("smollm2")
                ? Set.of(GgmlType.Q4_1, GgmlType.Q8_0)
                : Set.of(GgmlType.Q5_0, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q6_K);
        try (GgufFile file = GgufFile.open(TestModels.require(model)); Kernels kernels = Kernels.vector(2)) {
            Map<GgmlType, GgufTensor> smallest = new TreeMap<>();
            file.tensors().stream()
                    .filter(t -> t.nDims() == 2)
                    .sorted(Comparator.comparingLong(GgufTensor::elementCount))
                    .forEach(t -> smallest.putIfAbsent(t.type(), t));
            assertEquals(expected, smallest.keySet(), "weight types of " + model);
            for (GgufTensor t : smallest.values()) {
                for (int rows : new int[] {1, 7}) {
                    check(kernels, t, rows);
                    checkTransposed(kernels, t, rows);
                }
                checkColumns(t);
            }
        }
    }

    private static void check(Kernels kernels, GgufTensor t, int rows) {
        GgufMatrix w = new GgufMatrix(t);
        int n = w.rows(), k = w.cols();
        Random r = new Random(n + 31L * k + rows);
        float[] x = MatmulTest.random(r, rows * k);
        float[] out = new float[rows * n];
        kernels.matmul(x, rows, w, out);
        float[] wr = new float[k];
        double worst = 0;
        for (int j = 0; j < n; j++) {
            Dequant.dequantizeRow(t, j, wr, 0);
            for (int i = 0; i < rows; i++) {
                double s = 0, mag = 0;
                for (int kk = 0; kk < k; kk++) {
                    double p = (double) x[i * k + kk] * wr[kk];
                    s += p;
                    mag += Math.abs(p);
                }
                double err = Math.abs(s - out[i * n + j]) / (mag + 1e-30);
                worst = Math.max(worst, err);
                assertTrue(err < 1e-5, t.name() + " " + t.type() + " row " + j + " token " + i + ": " + out[i * n + j] + " vs " + s);
            }
        }
        System.out.printf("matmul %-28s %-5s [%d x %d] T=%d: worst error / Σ|x·w| = %.2e%n", t.name(), t.type(), n, k, rows, worst);
    }

    private static void checkTransposed(Kernels kernels, GgufTensor t, int rows) {
        GgufMatrix w = new GgufMatrix(t);
        int n = w.rows(), k = w.cols();
        Random r = new Random(n + 17L * k + rows);
        float[] dy = MatmulTest.random(r, rows * n);
        float[] dx = new float[rows * k];
        java.util.Arrays.fill(dx, Float.NaN); // every element is written
        kernels.matmulTransposed(dy, rows, w, dx);
        float[] all = new float[n * k];
        w.decodeRows(0, n, all, 0);
        for (int i = 0; i < rows; i++) {
            for (int kk = 0; kk < k; kk++) {
                double s = 0, mag = 0;
                for (int j = 0; j < n; j++) {
                    double p = (double) dy[i * n + j] * all[j * k + kk];
                    s += p;
                    mag += Math.abs(p);
                }
                double err = Math.abs(s - dx[i * k + kk]) / (mag + 1e-30);
                assertTrue(err < 1e-5, t.name() + " " + t.type() + " dy·W column " + kk + " token " + i + ": " + dx[i * k + kk] + " vs " + s);
            }
        }
    }

    /** Every block-aligned strip of columns decodes to exactly what whole rows give. */
    private static void checkColumns(GgufTensor t) {
        GgufMatrix w = new GgufMatrix(t);
        int n = Math.min(w.rows(), 5), k = w.cols(), b = w.blockWidth();
        assertEquals(t.type().blockSize(), b);
        float[] rows = new float[n * k];
        w.decodeRows(0, n, rows, 0);
        for (int c0 = 0; c0 < k; c0 += b) {
            int width = Math.min(2 * b, k - c0);
            float[] strip = new float[n * width];
            w.decodeColumns(0, n, c0, width, strip, 0);
            for (int j = 0; j < n; j++) {
                for (int c = 0; c < width; c++) {
                    assertEquals(Float.floatToRawIntBits(rows[j * k + c0 + c]), Float.floatToRawIntBits(strip[j * width + c]),
                            t.name() + " row " + j + " column " + (c0 + c));
                }
            }
        }
    }
}
