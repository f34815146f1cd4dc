package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.embed.Encoder;
import dev.sentemb.load.ModelSpec;
import dev.sentemb.testing.TestModels;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Weights kept decoded in the panel layout give the same bits as weights decoded on every pass. */
class PackedWeightsTest {

    @Test
    void aLazyMatrixPacksFromItsSecondProductOnWithTheSameBits() {
        Random r = new Random(3);
        int n = 3 * Matmul.NR + 5, k = 48, rows = 11;
        float[] w = MatmulTest.random(r, n * k);
        float[] x = MatmulTest.random(r, rows * k);
        try (Kernels kernels = Kernels.vector(2)) {
            float[] streamed = new float[rows * n];
            kernels.matmul(x, rows, new DenseMatrix(w, n, k), streamed);
            PackedMatrix lazy = PackedMatrix.lazy(new DenseMatrix(w, n, k));
            long[] reserved = new long[3];
            for (int i = 0; i < 3; i++) {
                float[] out = new float[rows * n];
                kernels.matmul(x, rows, lazy, out);
                assertArrayEquals(streamed, out, "product " + (i + 1));
                reserved[i] = lazy.byteSize();
            }
            assertEquals(0, reserved[0], "the first product only streams");
            assertEquals(PackedMatrix.bytesFor(lazy), reserved[1], "the second reserves the panels and keeps them");
            for (int p = 0; p < 4; p++) {
                assertTrue(lazy.ready(p) != null, "panel " + p + " packed after the second product");
            }
            PackedMatrix eager = PackedMatrix.of(new DenseMatrix(w, n, k));
            float[] out = new float[rows * n];
            kernels.matmul(x, rows, eager, out);
            assertArrayEquals(streamed, out, "packed at once");
        }
    }

    @Test
    void packedWeightsGiveTheSameVectors() throws Exception {
        List<String> lines = Files.readAllLines(TestModels.shared().resolve("data/senteval/STS/STSBenchmark/sts-test.csv"));
        List<String> s = lines.stream().map(l -> l.split("\t")[5]).distinct().limit(24).toList();
        List<List<String>> parts = List.of(s.subList(0, 8), s.subList(8, 16), s.subList(16, 24));
        String model = TestModels.require("smollm2-135m").toString();
        try (Parallel pool = new Parallel(2)) {
            float[][] streamed;
            try (Encoder e = Encoder.builder(model).pool(pool).template("icl:smoking").packedWeights(0).build()) {
                streamed = e.embed(s);
                e.embed(s);
                assertEquals(0, e.packedWeightBytes(), "budget 0 streams every pass");
            }
            // the default budget packs it all, the last one only the first layers (packed and streamed matrices mixed)
            for (long budget : new long[] {ModelSpec.AUTO_PACKED, 1L << 30, 40L << 20}) {
                try (Encoder e = Encoder.builder(model).pool(pool).template("icl:smoking").packedWeights(budget).build()) {
                    long[] packedAfter = new long[3];
                    for (int part = 0; part < 3; part++) { // the prefix's pass streams, later ones pack as they decode, then read packed
                        float[][] v = e.embed(parts.get(part));
                        for (int i = 0; i < 8; i++) {
                            assertArrayEquals(streamed[part * 8 + i], v[i], "budget " + budget + ", sentence " + (part * 8 + i));
                        }
                        packedAfter[part] = e.packedWeightBytes();
                    }
                    assertTrue(packedAfter[0] > 0 && packedAfter[2] == packedAfter[0], "budget " + budget + ": packed " + packedAfter[0]);
                    assertTrue(packedAfter[2] <= (budget > 0 ? budget : 1L << 30), "within the budget: " + packedAfter[2]);
                    if (budget == 40L << 20) {
                        assertTrue(packedAfter[2] > 30L << 20, "the small budget is used: " + packedAfter[2]);
                    }
                }
            }
        }
    }

    @Test
    void aNegativeBudgetOtherThanAutoIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Encoder.builder("smollm2-135m").packedWeights(-2));
    }
}
