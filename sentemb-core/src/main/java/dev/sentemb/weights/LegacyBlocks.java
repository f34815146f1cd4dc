package dev.sentemb.weights;

import java.lang.foreign.MemorySegment;

import static dev.sentemb.weights.GgufParser.LE_INT;
import static dev.sentemb.weights.GgufParser.LE_LONG;
import static dev.sentemb.weights.GgufParser.LE_SHORT;

/**
 * Decoders for ggml's original 32-element blocks (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0), bit-exact with
 * {@code dequantize_row_*} in ggml-quants.c. Quants are fetched eight bytes at a time with one
 * unaligned little-endian long load, which the JIT turns into a single mov.
 *
 * <p>Layouts (bytes): Q4_0 {@code d:f16, qs[16]}; Q4_1 {@code d:f16, m:f16, qs[16]};
 * Q5_0 {@code d:f16, qh:u32, qs[16]}; Q5_1 {@code d:f16, m:f16, qh:u32, qs[16]};
 * Q8_0 {@code d:f16, qs:i8[32]}. In the nibble types element {@code j} is the low nibble of
 * {@code qs[j]} and element {@code j+16} its high nibble; bit {@code j} of {@code qh} is the fifth
 * bit of element {@code j} (consumed by shifting {@code qh} right once per {@code j}).
 */
final class LegacyBlocks {
    static final int QK = 32;

    private LegacyBlocks() {}

    private static float half(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(LE_SHORT, off));
    }

    /** y = d * (q - 8). */
    static void q4_0(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 18, o += QK) {
            float d = half(src, off);
            for (int h = 0; h < 2; h++) {
                long w = src.get(LE_LONG, off + 2 + 8 * h);
                int base = o + 8 * h;
                for (int k = 0; k < 8; k++) {
                    int q = (int) (w >>> (8 * k));
                    dst[base + k] = d * ((q & 0xF) - 8);
                    dst[base + k + 16] = d * (((q >>> 4) & 0xF) - 8);
                }
            }
        }
    }

    /** y = d * q + m. */
    static void q4_1(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 20, o += QK) {
            float d = half(src, off);
            float m = half(src, off + 2);
            for (int h = 0; h < 2; h++) {
                long w = src.get(LE_LONG, off + 4 + 8 * h);
                int base = o + 8 * h;
                for (int k = 0; k < 8; k++) {
                    int q = (int) (w >>> (8 * k));
                    dst[base + k] = d * (q & 0xF) + m;
                    dst[base + k + 16] = d * ((q >>> 4) & 0xF) + m;
                }
            }
        }
    }

    /** y = d * (q - 16), q = nibble | fifth bit << 4. */
    static void q5_0(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 22, o += QK) {
            float d = half(src, off);
            int qh = src.get(LE_INT, off + 2);
            long w0 = src.get(LE_LONG, off + 6);
            long w1 = src.get(LE_LONG, off + 14);
            for (int j = 0; j < 16; j++) {
                int q = (int) ((j < 8 ? w0 : w1) >>> (8 * (j & 7)));
                int lo = (q & 0xF) | ((qh << 4) & 0x10);
                int hi = ((q >>> 4) & 0xF) | ((qh >>> 12) & 0x10);
                qh >>>= 1;
                dst[o + j] = d * (lo - 16);
                dst[o + j + 16] = d * (hi - 16);
            }
        }
    }

    /** y = d * q + m, q = nibble | fifth bit << 4. */
    static void q5_1(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 24, o += QK) {
            float d = half(src, off);
            float m = half(src, off + 2);
            int qh = src.get(LE_INT, off + 4);
            long w0 = src.get(LE_LONG, off + 8);
            long w1 = src.get(LE_LONG, off + 16);
            for (int j = 0; j < 16; j++) {
                int q = (int) ((j < 8 ? w0 : w1) >>> (8 * (j & 7)));
                int lo = (q & 0xF) | ((qh << 4) & 0x10);
                int hi = ((q >>> 4) & 0xF) | ((qh >>> 12) & 0x10);
                qh >>>= 1;
                dst[o + j] = d * lo + m;
                dst[o + j + 16] = d * hi + m;
            }
        }
    }

    /** y = d * q. */
    static void q8_0(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 34, o += QK) {
            float d = half(src, off);
            for (int h = 0; h < 4; h++) {
                long w = src.get(LE_LONG, off + 2 + 8 * h);
                int base = o + 8 * h;
                for (int k = 0; k < 8; k++) {
                    dst[base + k] = d * (byte) (w >>> (8 * k));
                }
            }
        }
    }
}
