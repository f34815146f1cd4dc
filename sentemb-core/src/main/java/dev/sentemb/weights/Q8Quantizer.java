package dev.sentemb.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Quantizes fp32 rows to ggml's Q8_0 blocks exactly as llama.cpp's reference quantizer does
 * (per 32 values: d = max|x| / 127 stored as fp16, q = round(x / d) as int8), so a checkpoint
 * quantized on load decodes to the values {@code llama-quantize --type q8_0} would give.
 */
public final class Q8Quantizer {
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Q8Quantizer() {}

    /** Quantizes {@code src[0 .. n)} (n a multiple of 32) into Q8_0 blocks written at {@code dst[byteOffset ..]}. */
    public static void quantize(float[] src, int n, MemorySegment dst, long byteOffset) {
        if (n % 32 != 0) {
            throw new IllegalArgumentException("Q8_0 needs a multiple of 32 values, got " + n);
        }
        long at = byteOffset;
        for (int b = 0; b < n; b += 32) {
            float amax = 0;
            for (int i = 0; i < 32; i++) {
                amax = Math.max(amax, Math.abs(src[b + i]));
            }
            float d = amax / 127f;
            float id = d != 0 ? 1f / d : 0f;
            dst.set(F16, at, Float.floatToFloat16(d));
            for (int i = 0; i < 32; i++) {
                // roundf: half away from zero
                float v = src[b + i] * id;
                int q = (int) (v >= 0 ? Math.floor(v + 0.5f) : -Math.floor(-v + 0.5f));
                dst.set(ValueLayout.JAVA_BYTE, at + 2 + i, (byte) q);
            }
            at += 34;
        }
    }
}
