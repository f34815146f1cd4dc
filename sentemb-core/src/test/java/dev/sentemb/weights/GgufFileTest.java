package dev.sentemb.weights;

import dev.sentemb.testing.TestGgufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader on files this test writes: every value type, tensors, and each kind of malformed header. */
class GgufFileTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsEveryValueTypeAndTensor() throws Exception {
        TestGgufWriter w = TestGgufWriter.sample(32);
        Path p = write("sample.gguf", w.build());
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(3, f.version());
            assertEquals(32, f.alignment());
            assertEquals(w.dataOffset(), f.dataOffset());
            assertEquals(Files.size(p), f.fileSize());
            GgufMetadata m = f.metadata();
            assertEquals(List.of("general.architecture", "t.u8", "t.i8", "t.u16", "t.i16", "t.u32", "t.i32", "t.u64",
                    "t.i64", "t.f32", "t.f64", "t.bool", "t.utf8", "t.strings", "t.ints", "t.floats", "t.bools", "t.u16s",
                    "t.nested"), List.copyOf(m.keys()));
            assertEquals("llama", m.getString("general.architecture"));
            assertEquals(200, m.getInt("t.u8"));
            assertEquals(-5, m.getInt("t.i8"));
            assertEquals(60000, m.getInt("t.u16"));
            assertEquals(-30000, m.getInt("t.i16"));
            assertEquals(0xFFFFFFF0L, m.getLong("t.u32"));
            assertEquals(-123456, m.getInt("t.i32"));
            assertEquals(1L << 40, m.getLong("t.i64"));
            assertEquals(1.5f, m.getFloat("t.f32"));
            assertEquals(2.25f, m.getFloat("t.f64"));
            assertEquals(2.25, m.getDouble("t.f64"));
            assertTrue(m.getBoolean("t.bool"));
            assertEquals("héllo ✓ 𝄞", m.getString("t.utf8"));
            assertArrayEquals(new String[] {"a", "", "Ġthe", "<|im_end|>"}, m.getStringArray("t.strings"));
            assertArrayEquals(new int[] {1, -2, 3}, m.getIntArray("t.ints"));
            assertArrayEquals(new long[] {1, -2, 3}, m.getLongArray("t.ints"));
            assertArrayEquals(new float[] {0.5f, -1f}, m.getFloatArray("t.floats"));
            assertArrayEquals(new int[] {65535, 1}, m.getIntArray("t.u16s"));
            assertArrayEquals(new boolean[] {true, false}, (boolean[]) m.getArray("t.bools").values());
            GgufArray nested = m.getArray("t.nested");
            assertEquals(GgufValueType.ARRAY, nested.elementType());
            GgufArray[] inner = (GgufArray[]) nested.values();
            assertArrayEquals(new byte[] {1, 2}, (byte[]) inner[0].values());
            assertArrayEquals(new String[] {"x"}, (String[]) inner[1].values());
            assertEquals(GgufValueType.UINT64, m.type("t.u64"));
            assertEquals(-1L, m.get("t.u64"));
            assertEquals(7, m.getInt("nope", 7));
            assertTrue(m.optString("nope").isEmpty());
            assertEquals("llama", m.optString("general.architecture").orElseThrow());
            assertFalse(m.optInt("nope").isPresent());

            assertEquals(4, f.tensors().size());
            GgufTensor q8 = f.tensor("blk.0.attn_q.weight");
            assertEquals(GgmlType.Q8_0, q8.type());
            assertArrayEquals(new long[] {64, 3}, q8.dims());
            assertEquals(64, q8.cols());
            assertEquals(3, q8.rows());
            assertEquals(192, q8.elementCount());
            assertEquals(6 * 34, q8.byteSize());
            assertEquals(0, q8.fileOffset() % 32);
            GgufTensor q4k = f.tensor("blk.0.ffn_down.weight");
            assertEquals(2, q4k.rows());
            assertEquals(3, q4k.nDims());
            float[] row = new float[64];
            Dequant.dequantizeRow(q8, 2, row, 0);
            for (int j = 0; j < 64; j++) {
                assertEquals((j % 32) - 16 + 4 + j / 32, row[j], "element " + j);
            }
            float[] norm = Dequant.dequantizeAll(f.tensor("norm.weight"));
            assertEquals(1.75f, norm[7]);
            assertArrayEquals(new float[] {1f, -1f}, Dequant.dequantizeAll(f.tensor("empty.bias")));
            assertTrue(f.findTensor("missing").isEmpty());
        }
    }

    @Test
    void typedGetterErrorsNameFileKeyAndType() throws Exception {
        Path p = write("sample.gguf", TestGgufWriter.sample(32).build());
        try (GgufFile f = GgufFile.open(p)) {
            GgufMetadata m = f.metadata();
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> m.getInt("general.architecture"));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("'general.architecture'")
                    && e.getMessage().contains("string") && e.getMessage().contains("integer"), e.getMessage());
            assertTrue(e.offset() > 0);
            e = assertThrows(GgufFormatException.class, () -> m.getInt("t.u32"));
            assertTrue(e.getMessage().contains("uint32 4294967280") && e.getMessage().contains("does not fit"), e.getMessage());
            e = assertThrows(GgufFormatException.class, () -> m.getLong("t.u64"));
            assertTrue(e.getMessage().contains("18446744073709551615"), e.getMessage());
            e = assertThrows(GgufFormatException.class, () -> m.getString("llama.block_count"));
            assertEquals(-1, e.offset());
            assertTrue(e.getMessage().contains("'llama.block_count' is missing"), e.getMessage());
            e = assertThrows(GgufFormatException.class, () -> m.getStringArray("t.ints"));
            assertTrue(e.getMessage().contains("array<int32>[3]"), e.getMessage());
            e = assertThrows(GgufFormatException.class, () -> m.getFloat("t.bool"));
            assertTrue(e.getMessage().contains("bool"), e.getMessage());
            assertThrows(GgufFormatException.class, () -> m.getBoolean("t.u8"));
            assertThrows(GgufFormatException.class, () -> m.getFloatArray("t.strings"));
            assertThrows(GgufFormatException.class, () -> m.getIntArray("t.floats"));
            e = assertThrows(GgufFormatException.class, () -> f.tensor("output.weight"));
            assertTrue(e.getMessage().startsWith(p + ": no tensor named 'output.weight'"), e.getMessage());
        }
    }

    @Test
    void honoursCustomAlignment() throws Exception {
        TestGgufWriter w = TestGgufWriter.sample(64);
        try (GgufFile f = GgufFile.open(write("a64.gguf", w.build()))) {
            assertEquals(64, f.alignment());
            assertEquals(0, f.dataOffset() % 64);
            for (GgufTensor t : f.tensors()) {
                assertEquals(0, t.fileOffset() % 64, t.name());
            }
        }
    }

    @Test
    void readsVersion2() throws Exception {
        try (GgufFile f = GgufFile.open(write("v2.gguf", TestGgufWriter.sample(32).version(2).build()))) {
            assertEquals(2, f.version());
        }
    }

    @Test
    void segmentsAreInvalidAfterClose() throws Exception {
        GgufFile f = GgufFile.open(write("c.gguf", TestGgufWriter.sample(32).build()));
        GgufTensor t = f.tensor("norm.weight");
        f.close();
        f.close();
        assertThrows(IllegalStateException.class, () -> t.data().get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void missingFileAndDirectoryAreTypedErrors() {
        Path missing = dir.resolve("no-such.gguf");
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(missing));
        assertEquals(missing, e.path());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        e = assertThrows(GgufFormatException.class, () -> GgufFile.open(dir));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    private GgufFormatException openFails(byte[] bytes, String... fragments) throws Exception {
        Path p = write("bad.gguf", bytes);
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        for (String s : fragments) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
        }
        return e;
    }

    private static byte[] patch(byte[] b, long at, int width, long value) {
        byte[] c = b.clone();
        ByteBuffer bb = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 4) {
            bb.putInt((int) at, (int) value);
        } else {
            bb.putLong((int) at, value);
        }
        return c;
    }

    private static TestGgufWriter.Field field(TestGgufWriter w, String what, int nth) {
        return w.fields().stream().filter(f -> f.what().equals(what)).skip(nth).findFirst().orElseThrow();
    }

    @Test
    void headerErrors() throws Exception {
        TestGgufWriter w = TestGgufWriter.sample(32);
        byte[] good = w.build();
        openFails(new byte[0], "too short");
        openFails(new byte[] {'G', 'G', 'U'}, "too short");
        openFails("GGML\3\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "not a GGUF file");
        openFails(patch(good, 4, 4, 1), "version 1 is not supported");
        openFails(patch(good, 4, 4, Integer.reverseBytes(3)), "big-endian");
        openFails(patch(good, 4, 4, 99), "unsupported GGUF version 99");
        GgufFormatException e = openFails(patch(good, 16, 8, Long.MAX_VALUE), "metadata key/value count");
        assertEquals(16, e.offset());
        openFails(patch(good, 8, 8, -1), "tensor count 18446744073709551615");
        TestGgufWriter.Field vt = field(w, "value type", 1);
        e = openFails(patch(good, vt.offset(), 4, 13), "unknown value type 13", "'t.u8'");
        assertEquals(vt.offset(), e.offset());
        openFails(patch(good, field(w, "key length", 2).offset(), 8, 1L << 40), "length of metadata key");
        openFails(patch(good, field(w, "array length", 0).offset(), 8, 1L << 61), "array length of 't.strings'");
        openFails(patch(good, field(w, "array element type", 0).offset(), 4, 77), "unknown value type 77");
        openFails(patch(good, field(w, "n_dims", 0).offset(), 4, 5), "n_dims 5");
        openFails(patch(good, field(w, "n_dims", 0).offset(), 4, 0), "n_dims 0");
        openFails(patch(good, field(w, "dim", 0).offset(), 8, 0), "dimension 0 is 0");
        TestGgufWriter.Field d1 = field(w, "dim", 3); // Q4_K tensor second dim
        openFails(patch(patch(good, d1.offset(), 8, 1L << 40), d1.offset() + 8, 8, 1L << 40), "more elements than fit");
        openFails(patch(good, field(w, "dim", 1).offset(), 8, 33), "not a multiple of Q8_0's block size 32");
        openFails(patch(good, field(w, "ggml type", 1).offset(), 4, 4), "unknown ggml type id 4");
        openFails(patch(good, field(w, "tensor offset", 1).offset(), 8, 48), "not a multiple of the alignment 32");
        e = openFails(patch(good, field(w, "tensor offset", 1).offset(), 8, 1L << 20),
                "tensor 'blk.0.attn_q.weight' data [", "runs past the end of the file (size " + good.length + ")");
        assertTrue(e.offset() > 0);
        openFails(java.util.Arrays.copyOf(good, good.length - 29), "tensor 'empty.bias' data", "runs past the end of the file");
        for (int cut = 0; cut < w.dataOffset(); cut++) { // every truncation inside the header
            openFails(java.util.Arrays.copyOf(good, cut), "");
        }
        openFails(patch(good, field(w, "dim", 2).offset(), 8, 1L << 55), "");
    }

    @Test
    void duplicatesAndBadAlignmentAreRejected() throws Exception {
        TestGgufWriter dupKey = new TestGgufWriter().kv("a", GgufValueType.UINT8, 1).kv("a", GgufValueType.UINT8, 2);
        openFails(dupKey.build(), "duplicate metadata key 'a'");
        TestGgufWriter dupTensor = new TestGgufWriter()
                .tensor("w", GgmlType.F32, new long[] {1}, new byte[4]).tensor("w", GgmlType.F32, new long[] {1}, new byte[4]);
        openFails(dupTensor.build(), "duplicate tensor name 'w'");
        openFails(new TestGgufWriter().kv("general.alignment", GgufValueType.UINT32, 48).build(), "not a power of two");
        openFails(new TestGgufWriter().kv("general.alignment", GgufValueType.UINT32, 0).build(), "not a power of two");
        openFails(new TestGgufWriter().kv("general.alignment", GgufValueType.INT64, 32).build(), "expected uint32");
    }

    @Test
    void deepNestingIsRejected() throws Exception {
        GgufArray a = new GgufArray(GgufValueType.UINT8, new Byte[] {1});
        for (int i = 0; i < 40; i++) {
            a = new GgufArray(GgufValueType.ARRAY, new GgufArray[] {a});
        }
        openFails(new TestGgufWriter().kv("deep", GgufValueType.ARRAY, a).build(), "nests arrays deeper than");
    }

    /** GGUF v3, no tensors, one key/value pair (its key's length comes next). */
    private static TestGgufWriter.Out headerWithOneKey() {
        TestGgufWriter.Out out = new TestGgufWriter.Out();
        out.bytes("GGUF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.u32(3);
        out.u64(0);
        out.u64(1);
        return out;
    }

    @Test
    void millionsOfTinyStringsAreRefusedNotDecoded() throws Exception {
        // 4,000,001 empty strings: 32 MB of file that would decode into hundreds of MB of heap
        int n = GgufParser.MAX_STRINGS + 1;
        TestGgufWriter.Out out = headerWithOneKey();
        out.u64(6);
        out.bytes("unused".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.u32(GgufValueType.ARRAY.id());
        out.u32(GgufValueType.STRING.id());
        out.u64(n);
        byte[] body = new byte[8 * n];
        out.bytes(body);
        openFails(out.toByteArray(), "more than " + GgufParser.MAX_STRINGS + " strings");
    }

    @Test
    void invalidUtf8IsReplaced() throws Exception {
        TestGgufWriter.Out out = headerWithOneKey();
        out.u64(1);
        out.bytes(new byte[] {'k'});
        out.u32(GgufValueType.STRING.id());
        out.u64(3);
        out.bytes(new byte[] {'a', (byte) 0xC4, 'b'});
        try (GgufFile f = GgufFile.open(write("u.gguf", out.toByteArray()))) {
            assertEquals("a\uFFFDb", f.metadata().getString("k"));
        }
    }

    @Test
    void emptyTensorlessFileWithoutPaddingOpens() throws Exception {
        try (GgufFile f = GgufFile.open(write("e.gguf", new TestGgufWriter().kv("x", GgufValueType.BOOL, false).build()))) {
            assertFalse(f.metadata().getBoolean("x"));
            assertTrue(f.tensors().isEmpty());
        }
    }

    @Test
    void exceptionIsASentembException() {
        assertInstanceOf(dev.sentemb.SentembException.class, new GgufFormatException(dir, 3, "x"));
        assertEquals(dir + ": at byte 3: x", new GgufFormatException(dir, 3, "x").getMessage());
    }
}
