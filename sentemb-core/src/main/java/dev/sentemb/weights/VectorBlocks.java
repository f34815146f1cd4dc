package dev.sentemb.weights;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API decoders of the 32-element legacy blocks the default models use most (Q4_0, Q4_1, Q8_0):
 * the same float operations as {@link LegacyBlocks} (a multiply, then an add where ggml adds; never a
 * fused multiply-add), so the values are bit-identical, at a fraction of the scalar cost. Decoding sits on
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
}
