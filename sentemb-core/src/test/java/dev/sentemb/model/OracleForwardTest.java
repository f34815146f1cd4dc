package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.testing.TestModels;
import dev.sentemb.weights.GgufFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The forward pass against the oracle fixtures: HF fp32 last-token (and mean) states of the plain and
 * ICL PromptEOL prompts of 200 STS-B/SICK sentences. Every {@code stride}-th prompt is checked
 * (system property sentemb.oracle.stride, default 5; 1 checks all), all of them in one packed batch.
 */
class OracleForwardTest {
    static final int STRIDE = Integer.getInteger("sentemb.oracle.stride", 5);

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"smollm2-135m, plain", "smollm2-135m, icl"})
    void lastTokenAndMeanMatchTransformers(String model, String kind) {
        HfReference ref = HfReference.oracle(model, kind);
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < ref.ids().size(); i += STRIDE) picked.add(i);
        try (GgufFile file = GgufFile.open(TestModels.require(model)); TransformerModel m = ModelLoader.load(file, 2)) {
            PackedHidden h = m.forward(picked.stream().map(ref.ids()::get).toList());
            double minLast = 1, minMean = 1;
            for (int p = 0; p < picked.size(); p++) {
                int i = picked.get(p);
                double cl = HfReference.cosine(h.lastToken(p), ref.last()[i]);
                assertTrue(cl >= 0.9999, model + " " + kind + " prompt " + i + " last-token cosine " + cl);
                minLast = Math.min(minLast, cl);
                if (ref.mean() != null) {
                    double cm = HfReference.cosine(h.meanOf(p), ref.mean()[i]);
                    assertTrue(cm >= 0.9999, model + " " + kind + " prompt " + i + " mean cosine " + cm);
                    minMean = Math.min(minMean, cm);
                }
            }
            System.out.printf("%s %s vs HF oracle: %d prompts (%d tokens), min cosine last-token %.9f%s%n", model, kind,
                    picked.size(), h.offsets()[picked.size()], minLast, ref.mean() == null ? "" : String.format(", mean %.9f", minMean));
        }
    }
}
