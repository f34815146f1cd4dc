package dev.sentemb.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The vector decoders give bit for bit the scalar (ggml-exact) decoders' values, on random blocks of every bit pattern. */
class VectorBlocksTest {

    @ParameterizedTest
    @ValueSource(strings = {"Q4_0", "Q4_1", "Q5_0", "Q8_0", "Q4_K", "Q6_K"})
    void bitIdenticalToTheScalarDecoders(String typeName) {
        GgmlType type = GgmlType.valueOf(typeName);
        int blocks = 257;
        int per = type.blockSize();
        Random r = new Random(typeName.hashCode());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate((long) blocks * type.typeSize() + 3);
            for (long i = 0; i < seg.byteSize(); i++) {
                seg.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
            }
            // a few ordinary scales too, so not every block has an extreme random f16 scale
            long scaleAt = type == GgmlType.Q6_K ? 208 : 0;
            for (int b = 0; b < blocks; b += 3) {
                seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, (long) b * type.typeSize() + scaleAt, Float.floatToFloat16(r.nextFloat() * 0.1f));
            }
            // decode at an odd byte offset as well: a mapped tensor need not be aligned
            for (long base : new long[] {0, 3}) {
                MemorySegment src = seg.asSlice(base, (long) blocks * type.typeSize());
                float[] scalar = new float[blocks * per + 5];
                float[] vector = new float[blocks * per + 5];
                switch (type) {
                    case Q4_0 -> { LegacyBlocks.q4_0(src, 0, scalar, 5, blocks); VectorBlocks.q4_0(src, 0, vector, 5, blocks); }
                    case Q4_1 -> { LegacyBlocks.q4_1(src, 0, scalar, 5, blocks); VectorBlocks.q4_1(src, 0, vector, 5, blocks); }
                    case Q5_0 -> { LegacyBlocks.q5_0(src, 0, scalar, 5, blocks); VectorBlocks.q5_0(src, 0, vector, 5, blocks); }
                    case Q8_0 -> { LegacyBlocks.q8_0(src, 0, scalar, 5, blocks); VectorBlocks.q8_0(src, 0, vector, 5, blocks); }
                    case Q4_K -> { KQuantBlocks.q4_k(src, 0, scalar, 5, blocks); VectorBlocks.q4_k(src, 0, vector, 5, blocks); }
                    default -> { KQuantBlocks.q6_k(src, 0, scalar, 5, blocks); VectorBlocks.q6_k(src, 0, vector, 5, blocks); }
                }
                for (int i = 0; i < scalar.length; i++) {
                    assertEquals(Float.floatToIntBits(scalar[i]), Float.floatToIntBits(vector[i]), typeName + " element " + i + " (offset " + base + ")");
                }
            }
        }
    }
}
