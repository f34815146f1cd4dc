package dev.sentemb.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdamWTest {
    @Test
    void aNonFiniteGradientIsRefusedBeforeAnyParameterChanges() {
        AdamW opt = new AdamW(new int[] {3}, 0.9, 0.999, 1e-8, 0);
        float[][] params = {{1f, 2f, 3f}};
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> opt.step(params, new float[][] {{0.1f, Float.NaN, 0.2f}}, 1e-3, 1.0));
        assertEquals("the gradient norm is NaN; no parameter was changed", e.getMessage());
        assertArrayEquals(new float[] {1f, 2f, 3f}, params[0]);
        assertEquals(0, opt.steps());
    }

    @Test
    void theFirstStepMovesEachWeightByTheRateAgainstItsGradient() {
        AdamW opt = new AdamW(new int[] {2}, 0.9, 0.999, 1e-8, 0);
        float[][] params = {{1f, 1f}};
        double norm = opt.step(params, new float[][] {{3f, -4f}}, 0.01, 1.0);
        assertEquals(5.0, norm, 1e-12);
        assertEquals(0.99f, params[0][0], 1e-6f);
        assertEquals(1.01f, params[0][1], 1e-6f);
    }
}
