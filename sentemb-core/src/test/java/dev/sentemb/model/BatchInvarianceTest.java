package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.testing.TestModels;
import dev.sentemb.weights.GgufFile;
import java.util.ArrayList;
import java.util.List;
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

    /** 64 different real prompts: the oracle's ICL prompts 0, 3, 6, ... (30 to 71 tokens each). */
    static List<int[]> batchOf64() {
        List<int[]> all = HfReference.oracle("smollm2-135m", "icl").ids();
        List<int[]> batch = new ArrayList<>();
        for (int i = 0; batch.size() < 64; i += 3) batch.add(all.get(i));
        return batch;
    }

    @Test
    void lastTokenAloneEqualsLastTokenInPackedBatchOf64() {
        List<int[]> batch = batchOf64();
        PackedHidden packed = model.forward(batch);
        double min = 1;
        int bitwise = 0;
        int[] probes = {0, 1, 31, 62, 63};
        for (int p : probes) {
            float[] alone = model.forward(List.of(batch.get(p))).lastToken(0);
            float[] inBatch = packed.lastToken(p);
            double cos = HfReference.cosine(alone, inBatch);
            assertTrue(cos >= 0.99999, "prompt " + p + " cosine alone vs packed " + cos);
            min = Math.min(min, cos);
            if (java.util.Arrays.equals(alone, inBatch)) bitwise++;
        }
        // stronger than the cosine bound: kernels sum in a fixed order, so packing changes no bit
        assertEquals(probes.length, bitwise, "prompts whose state is bitwise identical alone and packed");
        System.out.printf("batch invariance (64-prompt packed batch, %d tokens): min cosine %.9f, %d/%d bitwise identical%n",
                packed.offsets()[64], min, bitwise, probes.length);
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
