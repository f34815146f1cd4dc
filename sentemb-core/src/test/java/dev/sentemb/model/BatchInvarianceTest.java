package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.testing.TestModels;
import dev.sentemb.weights.GgufFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A prompt's hidden states must not depend on what else is packed with it, nor on concurrent callers. */
class BatchInvarianceTest {
    static GgufFile file;
    static TransformerModel model;

    @BeforeAll
    static void load() {
        file = GgufFile.open(TestModels.require("smollm2-135m"));
        model = ModelLoader.load(file, 2);
    }

    @AfterAll
    static void close() {
        model.close();
        file.close();
    }

    /** The fixture prompts plus random in-vocabulary sequences of 3..24 tokens, 64 in all. */
    static List<int[]> batchOf64(List<int[]> real, int vocab) {
        Random r = new Random(64);
        List<int[]> batch = new ArrayList<>(real);
        while (batch.size() < 64) {
            int[] seq = new int[3 + r.nextInt(22)];
            for (int i = 0; i < seq.length; i++) seq[i] = r.nextInt(vocab);
            batch.add(seq);
        }
        return batch;
    }

    @Test
    void lastTokenAloneEqualsLastTokenInPackedBatchOf64() {
        List<int[]> real = HfReference.load("smollm2-135m").ids();
        List<int[]> batch = batchOf64(real, model.config().vocabSize());
        java.util.Collections.rotate(batch, 7); // the fixture prompts sit mid-batch
        PackedHidden packed = model.forward(batch);
        double min = 1;
        int bitwise = 0;
        for (int p = 0; p < real.size(); p++) {
            int at = batch.indexOf(real.get(p));
            float[] alone = model.forward(List.of(real.get(p))).lastToken(0);
            float[] inBatch = packed.lastToken(at);
            double cos = HfReference.cosine(alone, inBatch);
            assertTrue(cos >= 0.99999, "prompt " + p + " cosine alone vs packed " + cos);
            min = Math.min(min, cos);
            if (java.util.Arrays.equals(alone, inBatch)) bitwise++;
        }
        System.out.printf("batch invariance (64-prompt packed batch): min cosine %.9f, %d/%d bitwise identical%n", min, bitwise, real.size());
    }

    @Test
    void concurrentCallersGetTheSameStatesAsSequentialOnes() throws Exception {
        List<int[]> real = HfReference.load("smollm2-135m").ids();
        float[][] expected = new float[real.size()][];
        for (int i = 0; i < real.size(); i++) expected[i] = model.forward(List.of(real.get(i))).lastToken(0);
        try (ExecutorService callers = Executors.newFixedThreadPool(3)) {
            List<Future<float[]>> results = new ArrayList<>();
            for (int rep = 0; rep < 2; rep++) {
                for (int[] ids : real) results.add(callers.submit(() -> model.forward(List.of(ids)).lastToken(0)));
            }
            for (int i = 0; i < results.size(); i++) {
                float[] got = results.get(i).get();
                float[] want = expected[i % real.size()];
                for (int k = 0; k < want.length; k++) assertEquals(want[k], got[k], 0f, "call " + i + " dim " + k);
            }
        }
    }
}
