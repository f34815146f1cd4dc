package dev.sentemb.weights;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API decoders of the blocks the registry's models are made of (Q4_0, Q4_1, Q5_0, Q8_0, and the
 * K-quants Q4_K and Q6_K): the same float operations as {@link LegacyBlocks} and {@link KQuantBlocks} (a multiply,
 * then an add or subtract where ggml does; never a fused multiply-add; sub-block scales formed in scalar
 * code exactly as there), so the values are bit-identical, at a fraction of the scalar cost. Decoding sits on
 * the matmul's path once per weight panel and pass, so with small passes (a server's concurrent single
 * sentences) it is a large share of the work. Used when the preferred float species holds 4, 8 or 16 lanes.
 */
final class VectorBlocks {
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Whether these decoders apply: the 16 quants of one 128-bit load make a whole number of float vectors. */
    static final boolean USABLE = L >= 4 && 16 % L == 0;

    private VectorBlocks() {}

    private static float half(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(GgufParser.LE_SHORT, off));
    }

    /** Byte lanes [piece·L, (piece+1)·L) of {@code q} as floats. */
    private static FloatVector floats(ByteVector q, int piece) {
        return (FloatVector) q.convertShape(VectorOperators.B2F, F, piece);
    }

    /** y = d * (q - 8): low nibbles are elements 0..15, high nibbles 16..31. */
    static void q4_0(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 18, o += 32) {
            float d = half(src, off);
            ByteVector qs = ByteVector.fromMemorySegment(B16, src, off + 2, ByteOrder.LITTLE_ENDIAN);
            ByteVector lo = qs.and((byte) 0xF).sub((byte) 8);
            ByteVector hi = qs.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF).sub((byte) 8);
            for (int p = 0; p < 16 / L; p++) {
                floats(lo, p).mul(d).intoArray(dst, o + p * L);
                floats(hi, p).mul(d).intoArray(dst, o + 16 + p * L);
            }
        }
    }

    /** y = d * q + m: low nibbles are elements 0..15, high nibbles 16..31. */
    static void q4_1(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 20, o += 32) {
            float d = half(src, off);
            float m = half(src, off + 2);
            ByteVector qs = ByteVector.fromMemorySegment(B16, src, off + 4, ByteOrder.LITTLE_ENDIAN);
            ByteVector lo = qs.and((byte) 0xF);
            ByteVector hi = qs.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF);
            for (int p = 0; p < 16 / L; p++) {
                floats(lo, p).mul(d).add(m).intoArray(dst, o + p * L);
                floats(hi, p).mul(d).add(m).intoArray(dst, o + 16 + p * L);
            }
        }
    }

    /** y = d * q, q signed. */
    static void q8_0(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 34, o += 32) {
            float d = half(src, off);
            for (int h = 0; h < 2; h++) {
                ByteVector qs = ByteVector.fromMemorySegment(B16, src, off + 2 + 16 * h, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < 16 / L; p++) {
                    floats(qs, p).mul(d).intoArray(dst, o + 16 * h + p * L);
                }
            }
        }
    }

    /** Q4_K: per 64 elements, y = d1·q − m1 for the low nibbles of 32 quant bytes, d2·q − m2 for the high ones. */
    static void q4_k(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 144, o += 256) {
            float d = half(src, off);
            float dmin = half(src, off + 2);
            long slo = src.get(GgufParser.LE_LONG, off + 4);
            int shi = src.get(GgufParser.LE_INT, off + 12);
            for (int c = 0; c < 4; c++) {
                float d1 = d * KQuantBlocks.scaleK4(slo, shi, 2 * c);
                float m1 = dmin * KQuantBlocks.minK4(slo, shi, 2 * c);
                float d2 = d * KQuantBlocks.scaleK4(slo, shi, 2 * c + 1);
                float m2 = dmin * KQuantBlocks.minK4(slo, shi, 2 * c + 1);
                int y = o + 64 * c;
                for (int h = 0; h < 2; h++) {
                    ByteVector qs = ByteVector.fromMemorySegment(B16, src, off + 16 + 32 * c + 16 * h, ByteOrder.LITTLE_ENDIAN);
                    ByteVector lo = qs.and((byte) 0xF);
                    ByteVector hi = qs.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF);
                    for (int p = 0; p < 16 / L; p++) {
                        floats(lo, p).mul(d1).sub(m1).intoArray(dst, y + 16 * h + p * L);
                        floats(hi, p).mul(d2).sub(m2).intoArray(dst, y + 32 + 16 * h + p * L);
                    }
                }
            }
        }
    }

    /**
     * Q6_K: for each half of 128 elements and each 16 positions l, four 6-bit quants from the low and high
     * nibbles of ql[l], ql[l+32] and two bits each of qh[l], minus 32, times d·scale.
     */
    static void q6_k(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 210, o += 256) {
            float d = half(src, off + 208);
            for (int hf = 0; hf < 2; hf++) {
                for (int is = 0; is < 2; is++) { // l in 16·is .. 16·is + 15
                    q6Sixteen(src, off + 64 * hf + 16 * is, off + 128 + 32 * hf + 16 * is, off + 192 + 8 * hf + is, d,
                            dst, o + 128 * hf + 16 * is);
                }
            }
        }
    }

    /**
     * Sixteen positions l of a Q6_K half: its four quants each from ql[l], ql[l+32] and qh[l] into
     * y[l], y[l+32], y[l+64], y[l+96], the low nibbles' two here and the high nibbles' two in
     * {@link #q6High}. Small methods on purpose: as one method the JIT left the vector operations out of
     * line (12 MB of boxed vectors a decoded matrix), and with all four quants in one still 1 MB.
     */
    private static void q6Sixteen(MemorySegment src, long ql, long qh, long sc, float d, float[] dst, int l) {
        q6Low(src, ql, qh, sc, d, dst, l);
        q6High(src, ql, qh, sc, d, dst, l);
    }

    private static void q6Low(MemorySegment src, long ql, long qh, long sc, float d, float[] dst, int l) {
        ByteVector a = ByteVector.fromMemorySegment(B16, src, ql, ByteOrder.LITTLE_ENDIAN);
        ByteVector bb = ByteVector.fromMemorySegment(B16, src, ql + 32, ByteOrder.LITTLE_ENDIAN);
        ByteVector h = ByteVector.fromMemorySegment(B16, src, qh, ByteOrder.LITTLE_ENDIAN);
        scaled(a.and((byte) 0xF).or(h.and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32),
                d * src.get(java.lang.foreign.ValueLayout.JAVA_BYTE, sc), dst, l);
        scaled(bb.and((byte) 0xF).or(h.lanewise(VectorOperators.LSHR, 2).and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32),
                d * src.get(java.lang.foreign.ValueLayout.JAVA_BYTE, sc + 2), dst, l + 32);
    }

    private static void q6High(MemorySegment src, long ql, long qh, long sc, float d, float[] dst, int l) {
        ByteVector a = ByteVector.fromMemorySegment(B16, src, ql, ByteOrder.LITTLE_ENDIAN);
        ByteVector bb = ByteVector.fromMemorySegment(B16, src, ql + 32, ByteOrder.LITTLE_ENDIAN);
        ByteVector h = ByteVector.fromMemorySegment(B16, src, qh, ByteOrder.LITTLE_ENDIAN);
        scaled(a.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF).or(h.lanewise(VectorOperators.LSHR, 4).and((byte) 3)
                .lanewise(VectorOperators.LSHL, 4)).sub((byte) 32), d * src.get(java.lang.foreign.ValueLayout.JAVA_BYTE, sc + 4), dst, l + 64);
        scaled(bb.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF).or(h.lanewise(VectorOperators.LSHR, 6).and((byte) 3)
                .lanewise(VectorOperators.LSHL, 4)).sub((byte) 32), d * src.get(java.lang.foreign.ValueLayout.JAVA_BYTE, sc + 6), dst, l + 96);
    }

    /** dst[at .. at+16) = the 16 signed quants of {@code q} times {@code scale}. */
    private static void scaled(ByteVector q, float scale, float[] dst, int at) {
        for (int p = 0; p < 16 / L; p++) {
            floats(q, p).mul(scale).intoArray(dst, at + p * L);
        }
    }

    /**
     * Q5_0: y = d·(q − 16), q = a nibble of qs[j] (low: element j, high: element j + 16) with bit j (or
     * j + 16) of qh as its fifth bit. The bit of each lane is picked by a per-lane mask, not a variable
     * shift (AVX2 has no byte shifts).
     */
    static void q5_0(MemorySegment src, long off, float[] dst, int o, int nBlocks) {
        for (int b = 0; b < nBlocks; b++, off += 22, o += 32) {
            float d = half(src, off);
            int qh = src.get(GgufParser.LE_INT, off + 2);
            ByteVector qs = ByteVector.fromMemorySegment(B16, src, off + 6, ByteOrder.LITTLE_ENDIAN);
            ByteVector lo = qs.and((byte) 0xF).or(fifthBits(qh));
            ByteVector hi = qs.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF).or(fifthBits(qh >>> 16));
            scaled(lo.sub((byte) 16), d, dst, o);
            scaled(hi.sub((byte) 16), d, dst, o + 16);
        }
    }

    /** Lane j (of 16) = 0x10 where bit j of {@code bits} is set, else 0. */
    private static ByteVector fifthBits(int bits) {
        ByteVector bytes = ByteVector.broadcast(B16, (byte) bits).blend((byte) (bits >>> 8), UPPER_HALF);
        return ByteVector.zero(B16).blend((byte) 0x10, bytes.and(BIT_OF_LANE).compare(VectorOperators.NE, (byte) 0));
    }

    private static final ByteVector BIT_OF_LANE = ByteVector.fromArray(B16,
            new byte[] {1, 2, 4, 8, 16, 32, 64, (byte) 128, 1, 2, 4, 8, 16, 32, 64, (byte) 128}, 0);
    private static final jdk.incubator.vector.VectorMask<Byte> UPPER_HALF = B16.indexInRange(-8, 8);
}
