package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sentemb.embed.Encoder;
import dev.sentemb.testing.TestModels;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Weights kept decoded in the panel layout give the same bits as weights decoded on every pass. */
class PackedWeightsTest {

    @Test
    void packedWeightsGiveTheSameVectors() throws Exception {
        List<String> lines = Files.readAllLines(TestModels.shared().resolve("data/senteval/STS/STSBenchmark/sts-test.csv"));
        List<String> s = lines.stream().map(l -> l.split("\t")[5]).distinct().limit(24).toList();
        String model = TestModels.require("smollm2-135m").toString();
        try (Parallel pool = new Parallel(2)) {
            float[][] streamed;
            try (Encoder e = Encoder.builder(model).pool(pool).template("icl:smoking").build()) {
                streamed = e.embed(s);
            }
            // all of it packed, and a budget that packs the first layers only (packed and streamed matrices mixed)
            for (long budget : new long[] {1L << 30, 40L << 20}) {
                try (Encoder e = Encoder.builder(model).pool(pool).template("icl:smoking").packedWeights(budget).build()) {
                    float[][] packed = e.embed(s);
                    for (int i = 0; i < s.size(); i++) {
                        assertArrayEquals(streamed[i], packed[i], "budget " + budget + ", sentence " + i);
                    }
                }
            }
        }
    }

    @Test
    void aNegativeBudgetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Encoder.builder("smollm2-135m").packedWeights(-1));
    }
}
