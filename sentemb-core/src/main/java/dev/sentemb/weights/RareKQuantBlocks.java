package dev.sentemb.weights;

import java.lang.foreign.MemorySegment;

import static dev.sentemb.weights.GgufParser.LE_FLOAT;
import static dev.sentemb.weights.GgufParser.LE_INT;
import static dev.sentemb.weights.GgufParser.LE_LONG;
import static dev.sentemb.weights.GgufParser.LE_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Decoders for the K-quants that rarely carry whole models (Q2_K, Q3_K) and ggml's Q8_K
 * (an intermediate type, kept for completeness), bit-exact with ggml-quants.c.
 *
 * <p>Layouts (bytes): Q2_K {@code scales[16], qs[64], d:f16, dmin:f16};
 * Q3_K {@code hmask[32], qs[64], scales[12], d:f16}; Q8_K {@code d:f32, qs:i8[256], bsums:i16[16]}.
 * In Q2_K/Q3_K element {@code 128h + 32t + l} takes bits {@code 2t..2t+1} of {@code qs[32h + l]};
 * sub-blocks are 16 elements. Q3_K's third bit is bit {@code 4h + t} of {@code hmask[l]}, and a
 * clear bit means "subtract 4".
 */
final class RareKQuantBlocks {
    static final int QK_K = 256;

    private RareKQuantBlocks() {}

    /** y = (d * (sc & 15)) * q - dmin * (sc >> 4). */
    static void q2_k(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 84, o += QK_K) {
            float d = Float.float16ToFloat(src.get(LE_SHORT, off + 80));
            float dmin = Float.float16ToFloat(src.get(LE_SHORT, off + 82));
            for (int half = 0; half < 2; half++) {
                for (int t = 0; t < 4; t++) {
                    int shift = 2 * t;
                    for (int sub = 0; sub < 2; sub++) {
                        int sc = src.get(JAVA_BYTE, off + half * 8 + t * 2 + sub) & 0xFF;
                        float dl = d * (sc & 0xF);
                        float ml = dmin * (sc >>> 4);
                        long q = off + 16 + 32 * half + 16 * sub;
                        int y = o + 128 * half + 32 * t + 16 * sub;
                        for (int g = 0; g < 2; g++) {
                            long w = src.get(LE_LONG, q + 8 * g);
                            for (int k = 0; k < 8; k++) {
                                int v = (int) (w >>> (8 * k + shift)) & 3;
                                dst[y + 8 * g + k] = dl * v - ml;
                            }
                        }
                    }
                }
            }
        }
    }

    /** 6-bit signed scale i (0..15) of Q3_K, unpacked from the 12 scale bytes. */
    private static int scaleQ3(long lo, int hi, int i) {
        int low = i < 8 ? (int) (lo >>> (8 * i)) & 0xF : (int) (lo >>> (8 * (i - 8) + 4)) & 0xF;
        int high = (hi >>> (8 * (i & 3) + 2 * (i >>> 2))) & 3;
        return (low | (high << 4)) - 32;
    }

    /** y = (d * sc) * (q - (hbit ? 0 : 4)). */
    static void q3_k(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 110, o += QK_K) {
            float d = Float.float16ToFloat(src.get(LE_SHORT, off + 108));
            long slo = src.get(LE_LONG, off + 96);
            int shi = src.get(LE_INT, off + 104);
            for (int half = 0; half < 2; half++) {
                for (int t = 0; t < 4; t++) {
                    int shift = 2 * t;
                    int hbit = 4 * half + t;
                    for (int sub = 0; sub < 2; sub++) {
                        float dl = d * scaleQ3(slo, shi, half * 8 + t * 2 + sub);
                        long q = off + 32 + 32 * half + 16 * sub;
                        long hm = off + 16 * sub;
                        int y = o + 128 * half + 32 * t + 16 * sub;
                        for (int g = 0; g < 2; g++) {
                            long w = src.get(LE_LONG, q + 8 * g);
                            long hw = src.get(LE_LONG, hm + 8 * g);
                            for (int k = 0; k < 8; k++) {
                                int v = (int) (w >>> (8 * k + shift)) & 3;
                                int h = (int) (hw >>> (8 * k + hbit)) & 1;
                                dst[y + 8 * g + k] = dl * (v - ((h ^ 1) << 2));
                            }
                        }
                    }
                }
            }
        }
    }

    /** y = d * q. */
    static void q8_k(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 292, o += QK_K) {
            float d = src.get(LE_FLOAT, off);
            for (int h = 0; h < 32; h++) {
                long w = src.get(LE_LONG, off + 4 + 8 * h);
                for (int k = 0; k < 8; k++) {
                    dst[o + 8 * h + k] = d * (byte) (w >>> (8 * k));
                }
            }
        }
    }
}
