package dev.sentemb.weights;

import java.lang.foreign.MemorySegment;

import static dev.sentemb.weights.GgufParser.LE_INT;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static dev.sentemb.weights.GgufParser.LE_LONG;
import static dev.sentemb.weights.GgufParser.LE_SHORT;

/**
 * Decoders for the 256-element K-quant super-blocks that Q4_K_M / Q5_K_M models are made of
 * (Q4_K, Q5_K, Q6_K), bit-exact with ggml-quants.c: every sub-block scale is formed first as
 * {@code d * sc} (and {@code dmin * m}) in float, then applied as {@code scale * q - min}.
 *
 * <p>Layouts (bytes): Q4_K {@code d:f16, dmin:f16, scales[12], qs[128]};
 * Q5_K {@code d:f16, dmin:f16, scales[12], qh[32], qs[128]};
 * Q6_K {@code ql[128], qh[64], scales:i8[16], d:f16}.
 * In Q4_K/Q5_K, eight sub-blocks of 32 elements carry 6-bit scales and mins packed into the 12
 * scale bytes; sub-block {@code 2c} is the low nibbles and {@code 2c+1} the high nibbles of
 * {@code qs[32c .. 32c+31]}, and bit {@code g} of {@code qh[l]} is the fifth bit of element
 * {@code l} of sub-block {@code g}. Q6_K has sixteen sub-blocks of 16 with signed 8-bit scales.
 */
final class KQuantBlocks {
    static final int QK_K = 256;

    private KQuantBlocks() {}

    private static float half(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(LE_SHORT, off));
    }

    /** Byte {@code i} (0..11) of the packed scales held in {@code lo} (bytes 0..7) and {@code hi} (8..11). */
    private static int sbyte(long lo, int hi, int i) {
        return i < 8 ? (int) (lo >>> (8 * i)) & 0xFF : (hi >>> (8 * (i - 8))) & 0xFF;
    }

    /** 6-bit scale of sub-block j (0..7), ggml's get_scale_min_k4. */
    static int scaleK4(long lo, int hi, int j) {
        return j < 4 ? sbyte(lo, hi, j) & 63
                : (sbyte(lo, hi, j + 4) & 0xF) | ((sbyte(lo, hi, j - 4) >>> 6) << 4);
    }

    /** 6-bit min of sub-block j (0..7), ggml's get_scale_min_k4. */
    static int minK4(long lo, int hi, int j) {
        return j < 4 ? sbyte(lo, hi, j + 4) & 63
                : (sbyte(lo, hi, j + 4) >>> 4) | ((sbyte(lo, hi, j) >>> 6) << 4);
    }

    static void q4_k(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 144, o += QK_K) {
            float d = half(src, off);
            float dmin = half(src, off + 2);
            long slo = src.get(LE_LONG, off + 4);
            int shi = src.get(LE_INT, off + 12);
            for (int c = 0; c < 4; c++) {
                float d1 = d * scaleK4(slo, shi, 2 * c);
                float m1 = dmin * minK4(slo, shi, 2 * c);
                float d2 = d * scaleK4(slo, shi, 2 * c + 1);
                float m2 = dmin * minK4(slo, shi, 2 * c + 1);
                long q0 = off + 16 + 32 * c;
                int y = o + 64 * c;
                for (int h = 0; h < 4; h++) {
                    long w = src.get(LE_LONG, q0 + 8 * h);
                    for (int k = 0; k < 8; k++) {
                        int q = (int) (w >>> (8 * k));
                        dst[y + 8 * h + k] = d1 * (q & 0xF) - m1;
                        dst[y + 32 + 8 * h + k] = d2 * ((q >>> 4) & 0xF) - m2;
                    }
                }
            }
        }
    }

    static void q5_k(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 176, o += QK_K) {
            float d = half(src, off);
            float dmin = half(src, off + 2);
            long slo = src.get(LE_LONG, off + 4);
            int shi = src.get(LE_INT, off + 12);
            long qhBase = off + 16;
            for (int c = 0; c < 4; c++) {
                float d1 = d * scaleK4(slo, shi, 2 * c);
                float m1 = dmin * minK4(slo, shi, 2 * c);
                float d2 = d * scaleK4(slo, shi, 2 * c + 1);
                float m2 = dmin * minK4(slo, shi, 2 * c + 1);
                long q0 = off + 48 + 32 * c;
                int y = o + 64 * c;
                int s1 = 2 * c;
                int s2 = 2 * c + 1;
                for (int h = 0; h < 4; h++) {
                    long w = src.get(LE_LONG, q0 + 8 * h);
                    long hw = src.get(LE_LONG, qhBase + 8 * h);
                    for (int k = 0; k < 8; k++) {
                        int q = (int) (w >>> (8 * k));
                        int qh = (int) (hw >>> (8 * k));
                        int lo = (q & 0xF) | (((qh >>> s1) & 1) << 4);
                        int hi = ((q >>> 4) & 0xF) | (((qh >>> s2) & 1) << 4);
                        dst[y + 8 * h + k] = d1 * lo - m1;
                        dst[y + 32 + 8 * h + k] = d2 * hi - m2;
                    }
                }
            }
        }
    }

    static void q6_k(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 210, o += QK_K) {
            float d = half(src, off + 208);
            long scBase = off + 192;
            for (int half = 0; half < 2; half++) {
                long ql = off + 64 * half;
                long qh = off + 128 + 32 * half;
                long sc = scBase + 8 * half;
                int y = o + 128 * half;
                for (int g = 0; g < 4; g++) { // 8-element groups of l in 0..31
                    long wa = src.get(LE_LONG, ql + 8 * g);       // ql[l]
                    long wb = src.get(LE_LONG, ql + 32 + 8 * g);  // ql[l + 32]
                    long wh = src.get(LE_LONG, qh + 8 * g);       // qh[l]
                    int is = g >>> 1;                             // l / 16
                    float d0 = d * src.get(JAVA_BYTE, sc + is);
                    float d2 = d * src.get(JAVA_BYTE, sc + is + 2);
                    float d4 = d * src.get(JAVA_BYTE, sc + is + 4);
                    float d6 = d * src.get(JAVA_BYTE, sc + is + 6);
                    for (int k = 0; k < 8; k++) {
                        int a = (int) (wa >>> (8 * k));
                        int bb = (int) (wb >>> (8 * k));
                        int h = (int) (wh >>> (8 * k));
                        int l = 8 * g + k;
                        int q1 = ((a & 0xF) | ((h & 3) << 4)) - 32;
                        int q2 = ((bb & 0xF) | (((h >>> 2) & 3) << 4)) - 32;
                        int q3 = (((a >>> 4) & 0xF) | (((h >>> 4) & 3) << 4)) - 32;
                        int q4 = (((bb >>> 4) & 0xF) | (((h >>> 6) & 3) << 4)) - 32;
                        dst[y + l] = d0 * q1;
                        dst[y + l + 32] = d2 * q2;
                        dst[y + l + 64] = d4 * q3;
                        dst[y + l + 96] = d6 * q4;
                    }
                }
            }
        }
    }
}
