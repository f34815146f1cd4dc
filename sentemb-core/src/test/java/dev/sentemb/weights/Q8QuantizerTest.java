package dev.sentemb.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Q8QuantizerTest {

    @Test
    void roundTripWithinHalfAStep() {
        Random r = new Random(7);
        float[] x = new float[256];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian() * (i < 32 ? 0 : 3);
        }
        MemorySegment q = Arena.ofAuto().allocate(8 * 34);
        Q8Quantizer.quantize(x, x.length, q, 0);
        float[] back = new float[x.length];
        Dequant.dequantize(GgmlType.Q8_0, q, 0, back, 0, x.length);
        for (int b = 0; b < 8; b++) {
            float amax = 0;
            for (int i = 0; i < 32; i++) {
                amax = Math.max(amax, Math.abs(x[b * 32 + i]));
            }
            float step = amax / 127f;
            for (int i = 0; i < 32; i++) {
                int k = b * 32 + i;
                assertTrue(Math.abs(back[k] - x[k]) <= step * 0.5f + amax * 1e-3f, "element " + k);
            }
        }
        assertEquals(0f, back[5]); // an all-zero block stays zero (d = 0)
    }

    @Test
    void extremesMapToPlusMinus127() {
        float[] x = new float[32];
        x[0] = -2f;
        x[1] = 2f;
        x[2] = 1f; // 63.5 rounds away from zero to 64
        MemorySegment q = Arena.ofAuto().allocate(34);
        Q8Quantizer.quantize(x, 32, q, 0);
        assertEquals(-127, q.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 2));
        assertEquals(127, q.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 3));
        assertEquals(64, q.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4));
    }
}
