package dev.sentemb.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Block decoding against gguf-py's numpy decoders (weights/dequant.json, written by
 * tools/oracle/quant_fixtures.py): real rows of the real models and seeded random blocks.
 * Equality is exact, bit for bit: the decoders perform ggml's float operations in ggml's order
 * (scale products first, then {@code scale * q - min}), and Java never fuses them. Only NaN is
 * compared as "both NaN" (F16/BF16 random bit patterns include NaNs).
 */
class DequantTest {
    record Case(String name, GgmlType type, byte[] raw, float[] expected, JsonNode source) {}

    static byte[] resource(String name) throws Exception {
        try (InputStream in = DequantTest.class.getResourceAsStream("/weights/" + name)) {
            if (in == null) {
                throw new AssertionError("missing test resource weights/" + name);
            }
            return in.readAllBytes();
        }
    }

    static Iterable<Case> cases() throws Exception {
        JsonNode index = new ObjectMapper().readTree(resource("dequant.json"));
        java.util.List<Case> out = new java.util.ArrayList<>();
        for (JsonNode c : index.get("cases")) {
            String name = c.get("case").asText();
            byte[] raw = resource("dequant/" + name + ".bin");
            byte[] f = resource("dequant/" + name + ".f32");
            float[] exp = new float[f.length / 4];
            ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(exp);
            assertEquals(c.get("elements").asInt(), exp.length, name);
            out.add(new Case(name, GgmlType.valueOf(c.get("type").asText()), raw, exp, c.get("source")));
        }
        return out;
    }

    static void assertSameFloats(float[] expected, float[] actual, int actualOffset, String what) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[actualOffset + i];
            if (Float.floatToIntBits(e) != Float.floatToIntBits(a) && !(Float.isNaN(e) && Float.isNaN(a))) {
                fail(what + ": element " + i + " expected " + e + " (0x" + Integer.toHexString(Float.floatToRawIntBits(e))
                        + ") but was " + a + " (0x" + Integer.toHexString(Float.floatToRawIntBits(a)) + ")");
            }
        }
    }

    @Test
    void everyCaseMatchesTheOracleExactly() throws Exception {
        Set<GgmlType> covered = EnumSet.noneOf(GgmlType.class);
        for (Case c : cases()) {
            MemorySegment src = MemorySegment.ofArray(c.raw);
            int n = c.expected.length;
            // whole range at an offset in dst
            float[] dst = new float[n + 7];
            Dequant.dequantize(c.type, src, 0, dst, 7, n);
            assertSameFloats(c.expected, dst, 7, c.name);
            // block by block, from the back, to check firstElement and dstOffset arithmetic
            float[] piecewise = new float[n];
            int bs = c.type.blockSize() == 1 ? 64 : c.type.blockSize();
            for (int e = n - bs; e >= 0; e -= bs) {
                Dequant.dequantize(c.type, src, e, piecewise, e, bs);
            }
            assertSameFloats(c.expected, piecewise, 0, c.name + " (piecewise)");
            // the same bytes from an off-heap segment at an odd address
            try (var arena = java.lang.foreign.Arena.ofConfined()) {
                MemorySegment odd = arena.allocate(c.raw.length + 1).asSlice(1);
                MemorySegment.copy(src, 0, odd, 0, c.raw.length);
                float[] d2 = new float[n];
                Dequant.dequantize(c.type, odd, 0, d2, 0, n);
                assertSameFloats(c.expected, d2, 0, c.name + " (off-heap, unaligned)");
            }
            covered.add(c.type);
        }
        Set<GgmlType> decodable = EnumSet.noneOf(GgmlType.class);
        for (GgmlType t : GgmlType.values()) {
            if (t.decodable()) {
                decodable.add(t);
            }
        }
        assertEquals(decodable, covered, "every decodable type has an oracle case");
    }

    /** Real rows decoded straight out of the mapped model files, through dequantizeRow. */
    @Test
    void realRowsDecodeFromTheModelFiles() throws Exception {
        Map<String, GgufFile> files = new HashMap<>();
        try {
            int checked = 0;
            for (Case c : cases()) {
                if (!c.source.has("model")) {
                    continue;
                }
                GgufFile f = files.computeIfAbsent(c.source.get("model").asText(), m -> GgufFile.open(TestModels.require(m)));
                GgufTensor t = f.tensor(c.source.get("tensor").asText());
                assertEquals(c.type, t.type(), c.name);
                int cols = (int) t.cols();
                long rowBytes = t.rowBytes();
                JsonNode rows = c.source.get("rows");
                float[] row = new float[cols];
                for (int i = 0; i < rows.size(); i++) {
                    long r = rows.get(i).asLong();
                    byte[] fileBytes = t.data().asSlice(r * rowBytes, rowBytes).toArray(ValueLayout.JAVA_BYTE);
                    byte[] fixture = java.util.Arrays.copyOfRange(c.raw, (int) (i * rowBytes), (int) ((i + 1) * rowBytes));
                    assertArrayEquals(fixture, fileBytes, c.name + " row " + r + " bytes");
                    Dequant.dequantizeRow(t, r, row, 0);
                    assertSameFloats(java.util.Arrays.copyOfRange(c.expected, i * cols, (i + 1) * cols), row, 0, c.name + " row " + r);
                    checked++;
                }
            }
            assertTrue(checked >= 15, "checked " + checked + " real rows");
        } finally {
            files.values().forEach(GgufFile::close);
        }
    }

    @Test
    void rejectsBadRanges() {
        MemorySegment src = MemorySegment.ofArray(new byte[34 * 4]);
        float[] dst = new float[128];
        assertThrows(IllegalArgumentException.class, () -> Dequant.dequantize(GgmlType.Q8_0, src, 16, dst, 0, 32));
        assertThrows(IllegalArgumentException.class, () -> Dequant.dequantize(GgmlType.Q8_0, src, 0, dst, 0, 33));
        assertThrows(IllegalArgumentException.class, () -> Dequant.dequantize(GgmlType.Q8_0, src, -32, dst, 0, 32));
        assertThrows(IndexOutOfBoundsException.class, () -> Dequant.dequantize(GgmlType.Q8_0, src, 96, dst, 0, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> Dequant.dequantize(GgmlType.Q8_0, src, 0, dst, 100, 32));
        assertThrows(IllegalArgumentException.class, () -> Dequant.dequantize(GgmlType.IQ2_XXS, src, 0, dst, 0, 0));
        Dequant.dequantize(GgmlType.Q8_0, src, 0, dst, 0, 128);
        for (float v : dst) {
            assertEquals(0f, v);
        }
    }
}
