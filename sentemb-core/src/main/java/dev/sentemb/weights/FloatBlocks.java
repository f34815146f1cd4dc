package dev.sentemb.weights;

import java.lang.foreign.MemorySegment;

import static dev.sentemb.weights.GgufParser.LE_FLOAT;
import static dev.sentemb.weights.GgufParser.LE_SHORT;

/** Decoders for the unquantized float types: F32 (a copy), F16 and BF16 (exact widening). */
final class FloatBlocks {
    private FloatBlocks() {}

    static void f32(MemorySegment src, long off, float[] dst, int o, int n) {
        MemorySegment.copy(src, LE_FLOAT, off, dst, o, n);
    }

    static void f16(MemorySegment src, long off, float[] dst, int o, int n) {
        for (int i = 0; i < n; i++) {
            dst[o + i] = Float.float16ToFloat(src.get(LE_SHORT, off + 2L * i));
        }
    }

    /** BF16 is the upper half of an fp32: shifting the bits back is exact (NaNs included). */
    static void bf16(MemorySegment src, long off, float[] dst, int o, int n) {
        for (int i = 0; i < n; i++) {
            dst[o + i] = Float.intBitsToFloat(src.get(LE_SHORT, off + 2L * i) << 16);
        }
    }
}
