package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.testing.TestModels;
import dev.sentemb.weights.GgufFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forward pass against Hugging Face transformers (fp32, GGUF dequantized) on real models: the
 * final-norm last-token state and the mean over tokens, all prompts run as one packed batch.
 */
class ForwardVsHfTest {

    @ParameterizedTest
    @ValueSource(strings = {"smollm2-135m", "qwen2.5-coder-0.5b"})
    void packedForwardMatchesTransformers(String model) {
        HfReference ref = HfReference.load(model);
        try (GgufFile file = GgufFile.open(TestModels.require(model)); TransformerModel m = ModelLoader.load(file, 2)) {
            PackedHidden h = m.forward(ref.ids());
            assertEquals(ref.ids().size(), h.sequenceCount());
            double minLast = 1, minMean = 1;
            for (int i = 0; i < ref.ids().size(); i++) {
                double cl = HfReference.cosine(h.lastToken(i), ref.last()[i]);
                double cm = HfReference.cosine(h.meanOf(i), ref.mean()[i]);
                assertTrue(cl >= 0.9999, model + " prompt " + i + " last-token cosine " + cl);
                assertTrue(cm >= 0.9999, model + " prompt " + i + " mean cosine " + cm);
                minLast = Math.min(minLast, cl);
                minMean = Math.min(minMean, cm);
            }
            System.out.printf("%s vs HF fp32: min cosine last-token %.8f, mean %.8f over %d prompts%n",
                    model, minLast, minMean, ref.ids().size());
        }
    }
}
