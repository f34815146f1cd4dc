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
    void aLazyMatrixPacksOnceSmallProductsDominateWithTheSameBits() {
        Random r = new Random(3);
        int n = 3 * Matmul.NR + 5, k = 8, big = PackedMatrix.SMALL_ROWS, small = 11;
        float[] w = MatmulTest.random(r, n * k);
        float[] xBig = MatmulTest.random(r, big * k);
        try (Kernels kernels = Kernels.vector(2)) {
            float[] streamed = new float[big * n];
            kernels.matmul(xBig, big, new DenseMatrix(w, n, k), streamed);
            PackedMatrix lazy = PackedMatrix.lazy(new DenseMatrix(w, n, k));
            // a corpus run: large products only, never packed
            for (int i = 0; i < 6; i++) {
                float[] out = new float[big * n];
                kernels.matmul(xBig, big, lazy, out);
                assertArrayEquals(streamed, out, "large product " + (i + 1));
            }
            assertEquals(0, lazy.byteSize(), "large products never pack");
            // small products: packing starts when they have been seen SMALL_PRODUCTS times and outnumber the large 2:1
            int smallSeen = 0;
            while (lazy.byteSize() == 0) {
                assertTrue(smallSeen < 20, "small products should start packing");
                float[] out = new float[small * n];
                kernels.matmul(xBig, small, lazy, out);
                assertArrayEquals(java.util.Arrays.copyOf(streamed, small * n), out, "small product " + (++smallSeen));
            }
            assertEquals(13, smallSeen, "the product that starts packing: 13 small against 6 large");
            assertEquals(PackedMatrix.bytesFor(lazy), lazy.byteSize());
            assertTrue(lazy.complete(), "the product that reserved the panels kept every one of them");
            for (int rows : new int[] {small, big}) { // read back from the panels
                float[] out = new float[rows * n];
                kernels.matmul(xBig, rows, lazy, out);
                assertArrayEquals(java.util.Arrays.copyOf(streamed, rows * n), out, rows + " rows from packed panels");
            }
            // a large pass's last rows alone (few rows, counted at the pass's size): never packed
            PackedMatrix lastRows = PackedMatrix.lazy(new DenseMatrix(w, n, k));
            for (int i = 0; i < 20; i++) {
                float[] few = new float[small * n];
                PackedMatrix.countedAsPassOf(big, () -> {
                    kernels.matmul(xBig, small, lastRows, few);
                    return null;
                });
                assertArrayEquals(java.util.Arrays.copyOf(streamed, small * n), few, "last rows of a large pass " + (i + 1));
            }
            assertEquals(0, lastRows.byteSize(), "a large pass's few last rows never pack");
            PackedMatrix eager = PackedMatrix.of(new DenseMatrix(w, n, k));
            float[] out = new float[big * n];
            kernels.matmul(xBig, big, eager, out);
            assertArrayEquals(streamed, out, "packed at once");
        }
    }

    @Test
    void packedWeightsGiveTheSameVectors() throws Exception {
        List<String> lines = Files.readAllLines(TestModels.shared().resolve("data/senteval/STS/STSBenchmark/sts-test.csv"));
        List<String> s = lines.stream().map(l -> l.split("\t")[5]).distinct().limit(24).toList();
        List<List<String>> parts = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i += 4) {
            parts.add(s.subList(i, i + 4));
        }
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
                    long[] packedAfter = new long[parts.size()];
                    for (int part = 0; part < parts.size(); part++) { // small passes, a server's: streamed, then packing, then packed
                        float[][] v = e.embed(parts.get(part));
                        for (int i = 0; i < 4; i++) {
                            assertArrayEquals(streamed[part * 4 + i], v[i], "budget " + budget + ", sentence " + (part * 4 + i));
                        }
                        packedAfter[part] = e.packedWeightBytes();
                    }
                    assertEquals(0, packedAfter[0], "budget " + budget + ": the first small passes stream");
                    long last = packedAfter[parts.size() - 1];
                    assertTrue(last > 0 && packedAfter[parts.size() - 2] == last, "budget " + budget + ": packed " + last + " and read back");
                    assertTrue(last <= (budget > 0 ? budget : 1L << 30), "within the budget: " + last);
                    if (budget == 40L << 20) {
                        assertTrue(last > 30L << 20, "the small budget is used: " + last);
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
