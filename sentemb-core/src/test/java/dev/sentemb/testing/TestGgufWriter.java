package dev.sentemb.testing;

import dev.sentemb.weights.GgmlType;
import dev.sentemb.weights.GgufArray;
import dev.sentemb.weights.GgufValueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' one GGUF writer: small files with any metadata value type and any tensors (a tokenizer's
 * metadata alone, a tiny loadable model, a fuzz target), recording where each count/length field and
 * each structural boundary lies so the fuzz test can aim its mutations.
 */
public final class TestGgufWriter {
    /** A count or length field: byte offset and width (4 or 8). */
    public record Field(long offset, int width, String what) {}

    private record Kv(String key, GgufValueType type, Object value) {}

    private record Tensor(String name, GgmlType type, long[] dims, byte[] data) {}

    private int version = 3;
    private int alignment = 32;
    private final List<Kv> kvs = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Field> fields = new ArrayList<>();
    private final List<Long> boundaries = new ArrayList<>();
    private long dataOffset;

    /**
     * A value of the type its Java class implies (Integer INT32, Long INT64, Float FLOAT32, Boolean BOOL,
     * String STRING, String[] and int[] arrays of STRING and INT32), replacing a value of the same key in
     * place; {@link #kv} appends, so a duplicate key can be written on purpose.
     */
    public TestGgufWriter put(String key, Object value) {
        Kv kv = typed(key, value);
        for (int i = 0; i < kvs.size(); i++) {
            if (kvs.get(i).key().equals(key)) {
                kvs.set(i, kv);
                return this;
            }
        }
        kvs.add(kv);
        return this;
    }

    private static Kv typed(String key, Object value) {
        return switch (value) {
            case Integer i -> new Kv(key, GgufValueType.INT32, i);
            case Long l -> new Kv(key, GgufValueType.INT64, l);
            case Float f -> new Kv(key, GgufValueType.FLOAT32, f);
            case Boolean b -> new Kv(key, GgufValueType.BOOL, b);
            case String s -> new Kv(key, GgufValueType.STRING, s);
            case String[] a -> new Kv(key, GgufValueType.ARRAY, new GgufArray(GgufValueType.STRING, a));
            case int[] a -> new Kv(key, GgufValueType.ARRAY, new GgufArray(GgufValueType.INT32, a));
            default -> throw new IllegalArgumentException(key + ": no GGUF type for " + value.getClass());
        };
    }

    /** Writes the file into {@code path} and returns it. */
    public Path write(Path path) {
        try {
            return Files.write(path, build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the file as a new temporary file in {@code dir}. */
    public Path writeIn(Path dir) {
        try {
            return write(Files.createTempFile(dir, "test", ".gguf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestGgufWriter version(int v) {
        this.version = v;
        return this;
    }

    /** Adds general.alignment (uint32) and pads tensor data to it. */
    public TestGgufWriter alignment(int a) {
        this.alignment = a;
        kvs.add(new Kv("general.alignment", GgufValueType.UINT32, (long) a));
        return this;
    }

    /** Scalars: Number for integers and floats, Boolean, String; arrays: a {@link GgufArray}. */
    public TestGgufWriter kv(String key, GgufValueType type, Object value) {
        kvs.add(new Kv(key, type, value));
        return this;
    }

    public TestGgufWriter tensor(String name, GgmlType type, long[] dims, byte[] data) {
        tensors.add(new Tensor(name, type, dims, data));
        return this;
    }

    public List<Field> fields() {
        return fields;
    }

    public List<Long> boundaries() {
        return boundaries;
    }

    public long dataOffset() {
        return dataOffset;
    }

    public byte[] build() {
        fields.clear();
        boundaries.clear();
        Out out = new Out();
        out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.u32(version);
        fields.add(new Field(out.size(), 8, "tensor count"));
        out.u64(tensors.size());
        fields.add(new Field(out.size(), 8, "kv count"));
        out.u64(kvs.size());
        for (Kv kv : kvs) {
            boundaries.add((long) out.size());
            string(out, kv.key, "key length");
            fields.add(new Field(out.size(), 4, "value type"));
            out.u32(kv.type.id());
            value(out, kv.type, kv.value);
        }
        long[] offsets = new long[tensors.size()];
        long rel = 0;
        for (int i = 0; i < tensors.size(); i++) {
            offsets[i] = rel;
            rel += (tensors.get(i).data.length + alignment - 1) / alignment * alignment;
        }
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            boundaries.add((long) out.size());
            string(out, t.name, "tensor name length");
            fields.add(new Field(out.size(), 4, "n_dims"));
            out.u32(t.dims.length);
            for (long d : t.dims) {
                fields.add(new Field(out.size(), 8, "dim"));
                out.u64(d);
            }
            fields.add(new Field(out.size(), 4, "ggml type"));
            out.u32(t.type.id());
            fields.add(new Field(out.size(), 8, "tensor offset"));
            out.u64(offsets[i]);
        }
        boundaries.add((long) out.size());
        while (out.size() % alignment != 0) {
            out.u8(0);
        }
        dataOffset = out.size();
        for (Tensor t : tensors) {
            boundaries.add((long) out.size());
            out.bytes(t.data);
            while ((out.size() - dataOffset) % alignment != 0) {
                out.u8(0);
            }
        }
        boundaries.add((long) out.size());
        return out.toByteArray();
    }

    private void string(Out out, String s, String what) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        fields.add(new Field(out.size(), 8, what));
        out.u64(b.length);
        out.bytes(b);
    }

    private void value(Out out, GgufValueType type, Object v) {
        switch (type) {
            case UINT8, INT8, BOOL -> out.u8(v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).intValue());
            case UINT16, INT16 -> out.u16(((Number) v).intValue());
            case UINT32, INT32 -> out.u32(((Number) v).intValue());
            case UINT64, INT64 -> out.u64(((Number) v).longValue());
            case FLOAT32 -> out.u32(Float.floatToRawIntBits(((Number) v).floatValue()));
            case FLOAT64 -> out.u64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
            case STRING -> string(out, (String) v, "string length");
            case ARRAY -> {
                GgufArray a = (GgufArray) v;
                fields.add(new Field(out.size(), 4, "array element type"));
                out.u32(a.elementType().id());
                fields.add(new Field(out.size(), 8, "array length"));
                out.u64(a.length());
                for (int i = 0; i < a.length(); i++) {
                    Object e = java.lang.reflect.Array.get(a.values(), i);
                    value(out, a.elementType(), e);
                }
            }
        }
    }

    /** Little-endian byte sink. */
    public static final class Out extends ByteArrayOutputStream {
        public void u8(int v) {
            write(v);
        }

        public void u16(int v) {
            u8(v);
            u8(v >>> 8);
        }

        public void u32(int v) {
            u16(v);
            u16(v >>> 16);
        }

        public void u64(long v) {
            u32((int) v);
            u32((int) (v >>> 32));
        }

        public void bytes(byte[] b) {
            write(b, 0, b.length);
        }
    }

    /** A small file with every value type, a nested array and four tensors of different types. */
    public static TestGgufWriter sample(int alignment) {
        TestGgufWriter w = new TestGgufWriter();
        if (alignment != 32) {
            w.alignment(alignment);
        }
        w.kv("general.architecture", GgufValueType.STRING, "llama")
                .kv("t.u8", GgufValueType.UINT8, 200)
                .kv("t.i8", GgufValueType.INT8, -5)
                .kv("t.u16", GgufValueType.UINT16, 60000)
                .kv("t.i16", GgufValueType.INT16, -30000)
                .kv("t.u32", GgufValueType.UINT32, 0xFFFFFFF0)
                .kv("t.i32", GgufValueType.INT32, -123456)
                .kv("t.u64", GgufValueType.UINT64, -1L)
                .kv("t.i64", GgufValueType.INT64, 1L << 40)
                .kv("t.f32", GgufValueType.FLOAT32, 1.5f)
                .kv("t.f64", GgufValueType.FLOAT64, 2.25)
                .kv("t.bool", GgufValueType.BOOL, true)
                .kv("t.utf8", GgufValueType.STRING, "héllo ✓ 𝄞")
                .kv("t.strings", GgufValueType.ARRAY, new GgufArray(GgufValueType.STRING, new String[] {"a", "", "Ġthe", "<|im_end|>"}))
                .kv("t.ints", GgufValueType.ARRAY, new GgufArray(GgufValueType.INT32, new Integer[] {1, -2, 3}))
                .kv("t.floats", GgufValueType.ARRAY, new GgufArray(GgufValueType.FLOAT32, new Float[] {0.5f, -1f}))
                .kv("t.bools", GgufValueType.ARRAY, new GgufArray(GgufValueType.BOOL, new Boolean[] {true, false}))
                .kv("t.u16s", GgufValueType.ARRAY, new GgufArray(GgufValueType.UINT16, new Integer[] {65535, 1}))
                .kv("t.nested", GgufValueType.ARRAY, new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                        new GgufArray(GgufValueType.INT8, new Byte[] {1, 2}),
                        new GgufArray(GgufValueType.STRING, new String[] {"x"})}));
        byte[] f32 = new byte[4 * 8];
        for (int i = 0; i < 8; i++) {
            int bits = Float.floatToIntBits(i * 0.25f);
            for (int k = 0; k < 4; k++) {
                f32[4 * i + k] = (byte) (bits >>> (8 * k));
            }
        }
        byte[] q8 = new byte[34 * 2 * 3]; // 64 x 3, Q8_0: d = 1.0 (0x3c00)
        for (int b = 0; b < 6; b++) {
            q8[34 * b] = 0x00;
            q8[34 * b + 1] = 0x3c;
            for (int j = 0; j < 32; j++) {
                q8[34 * b + 2 + j] = (byte) (j - 16 + b);
            }
        }
        byte[] q4k = new byte[144 * 2];
        for (int i = 0; i < q4k.length; i++) {
            q4k[i] = (byte) (i * 37 + 11);
        }
        q4k[1] = 0x3c; q4k[0] = 0; q4k[3] = 0x38; q4k[2] = 0; // d = 1, dmin = 0.5
        q4k[145] = 0x3c; q4k[144] = 0; q4k[147] = 0x38; q4k[146] = 0;
        w.tensor("norm.weight", GgmlType.F32, new long[] {8}, f32)
                .tensor("blk.0.attn_q.weight", GgmlType.Q8_0, new long[] {64, 3}, q8)
                .tensor("blk.0.ffn_down.weight", GgmlType.Q4_K, new long[] {256, 1, 2}, q4k)
                .tensor("empty.bias", GgmlType.F16, new long[] {2, 1, 1, 1}, new byte[] {0, 0x3c, 0, (byte) 0xbc});
        return w;
    }
}
