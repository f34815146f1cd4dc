package dev.sentemb.weights;

import dev.sentemb.fuzz.Mutations;
import dev.sentemb.testing.TestGgufWriter;
import dev.sentemb.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of damaged GGUF files: each {@code open} (then reading every metadata value and
 * touching every tensor's first and last byte) must either succeed or throw
 * {@link GgufFormatException}; any other exception or error is a bug.
 */
class GgufFuzzTest {
    private static final long[] NASTY = {0, 1, 2, 3, 4, 5, 7, 8, 13, 31, 32, 255, 256, 65535, 0x7FFF_FFFFL, 0x8000_0000L,
            0xFFFF_FFFFL, 1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE, -1, -2, Long.MIN_VALUE};

    @TempDir
    Path dir;

    private record Base(String name, byte[] bytes, List<TestGgufWriter.Field> fields, List<Long> boundaries, long headerEnd) {}

    private static Base base(String name, TestGgufWriter w) {
        byte[] b = w.build();
        return new Base(name, b, List.copyOf(w.fields()), List.copyOf(w.boundaries()), w.dataOffset());
    }

    /** smollm2's real metadata, arrays cut to 300 entries, plus the sample tensors. */
    private static TestGgufWriter realisticHeader() {
        TestGgufWriter w = new TestGgufWriter();
        try (GgufFile f = GgufFile.open(TestModels.require("smollm2-135m"))) {
            GgufMetadata m = f.metadata();
            for (String k : m.keys()) {
                Object v = m.get(k);
                if (v instanceof GgufArray a) {
                    int n = Math.min(300, a.length());
                    Object cut = java.lang.reflect.Array.newInstance(boxed(a.values().getClass().getComponentType()), n);
                    for (int i = 0; i < n; i++) {
                        java.lang.reflect.Array.set(cut, i, java.lang.reflect.Array.get(a.values(), i));
                    }
                    v = new GgufArray(a.elementType(), cut);
                }
                w.kv(k, m.type(k), v);
            }
        }
        w.tensor("norm.weight", GgmlType.F32, new long[] {8}, new byte[32])
                .tensor("token_embd.weight", GgmlType.Q8_0, new long[] {64, 3}, new byte[34 * 6])
                .tensor("blk.0.ffn_down.weight", GgmlType.Q6_K, new long[] {256, 2}, new byte[210 * 2]);
        return w;
    }

    private static Class<?> boxed(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return c == int.class ? Integer.class : c == long.class ? Long.class : c == byte.class ? Byte.class
                : c == short.class ? Short.class : c == float.class ? Float.class : c == double.class ? Double.class
                : Boolean.class;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void damagedFilesGiveTypedErrorsOnly() throws Exception {
        List<Base> bases = new ArrayList<>();
        bases.add(base("sample", TestGgufWriter.sample(32)));
        bases.add(base("sample-a64", TestGgufWriter.sample(64)));
        bases.add(base("sample-v2", TestGgufWriter.sample(32).version(2)));
        bases.add(base("smollm2-header", realisticHeader()));
        byte[] vocab = Files.readAllBytes(TestModels.shared().resolve("tokenizers/gguf-vocab/ggml-vocab-gpt-2.gguf"));
        Base vocabBase = new Base("ggml-vocab-gpt-2", Arrays.copyOf(vocab, 16384), List.of(), List.of(), 16384);

        // every base opens cleanly before it is damaged
        for (Base b : bases) {
            Path p = dir.resolve(b.name + ".gguf");
            Files.write(p, b.bytes);
            String outcome = exercise(p);
            assertTrue(outcome.equals("ok"), b.name + ": " + outcome);
        }

        Random rnd = new Random(0x5EED_6601L);
        Path p = dir.resolve("fuzz.gguf");
        int iterations = 3000;
        int opened = 0;
        List<String> bugs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int it = 0; it < iterations; it++) {
            Base b = it % 10 == 9 ? vocabBase : bases.get(rnd.nextInt(bases.size()));
            StringBuilder how = new StringBuilder(b.name);
            byte[] m = mutate(b, rnd, how);
            Files.write(p, m);
            String outcome = exercise(p);
            if (outcome.equals("ok")) {
                opened++;
            } else if (!outcome.equals("typed")) {
                bugs.add("#" + it + " " + how + ": " + outcome);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("fuzz: %d damaged files in %.1f s, %d opened, %d typed errors, %d bugs%n",
                iterations, secs, opened, iterations - opened - bugs.size(), bugs.size());
        assertTrue(bugs.isEmpty(), bugs.size() + " bugs, first ones:\n" + String.join("\n", bugs.subList(0, Math.min(10, bugs.size()))));
        assertTrue(opened > 0 && opened < iterations, "mutations should both break and spare files: " + opened);
    }

    private static byte[] mutate(Base b, Random rnd, StringBuilder how) {
        byte[] m = b.bytes.clone();
        int kind = b.fields.isEmpty() ? (rnd.nextBoolean() ? 0 : 2) : rnd.nextInt(5);
        int headerEnd = (int) Math.min(b.headerEnd, m.length);
        switch (kind) {
            case 0 -> { // random byte changes in the header
                int n = 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    int at = rnd.nextInt(headerEnd);
                    byte v = rnd.nextBoolean() ? (byte) (m[at] ^ (1 << rnd.nextInt(8))) : (byte) rnd.nextInt(256);
                    m[at] = v;
                    how.append(" byte@").append(at).append('=').append(v & 0xFF);
                }
            }
            case 1, 2 -> { // a count / length / type / offset field set to a nasty value
                if (b.fields.isEmpty()) {
                    return truncate(b, m, rnd, how);
                }
                TestGgufWriter.Field f = b.fields.get(rnd.nextInt(b.fields.size()));
                Mutations.setField(m, f, rnd.nextInt(4) == 0 ? rnd.nextLong() : NASTY[rnd.nextInt(NASTY.length)], how);
            }
            case 3 -> {
                return truncate(b, m, rnd, how);
            }
            default -> { // delete or insert bytes inside the header (shifts everything after)
                int at = rnd.nextInt(headerEnd);
                int n = 1 + rnd.nextInt(8);
                return rnd.nextBoolean() ? Mutations.insert(m, at, n, rnd, how) : Mutations.delete(m, at, n, how);
            }
        }
        return m;
    }

    private static byte[] truncate(Base b, byte[] m, Random rnd, StringBuilder how) {
        int len;
        if (!b.boundaries.isEmpty() && rnd.nextBoolean()) {
            long at = b.boundaries.get(rnd.nextInt(b.boundaries.size())) + rnd.nextInt(17) - 8;
            len = (int) Math.max(0, Math.min(m.length, at));
        } else if (!b.fields.isEmpty() && rnd.nextBoolean()) {
            TestGgufWriter.Field f = b.fields.get(rnd.nextInt(b.fields.size()));
            len = (int) f.offset() + rnd.nextInt(f.width());
        } else {
            len = rnd.nextInt(m.length);
        }
        how.append(" truncate@").append(len);
        return Arrays.copyOf(m, len);
    }

    /** "ok", "typed", or a description of anything else that escaped. */
    private static String exercise(Path p) {
        try (GgufFile f = GgufFile.open(p)) {
            GgufMetadata m = f.metadata();
            for (String k : m.keys()) {
                Object v = m.get(k);
                GgufValueType t = m.type(k);
                try {
                    switch (t) {
                        case STRING -> m.getString(k);
                        case BOOL -> m.getBoolean(k);
                        case FLOAT32, FLOAT64 -> m.getFloat(k);
                        case ARRAY -> {
                            GgufArray a = (GgufArray) v;
                            a.length();
                            switch (a.elementType()) {
                                case STRING -> m.getStringArray(k);
                                case FLOAT32, FLOAT64 -> m.getFloatArray(k);
                                case ARRAY, BOOL -> { }
                                default -> m.getIntArray(k);
                            }
                        }
                        default -> m.getLong(k);
                    }
                } catch (GgufFormatException e) {
                    // a value that does not fit the getter: a typed error is the contract
                }
            }
            for (GgufTensor t : f.tensors()) {
                long n = t.data().byteSize();
                if (n > 0) {
                    t.data().get(ValueLayout.JAVA_BYTE, 0);
                    t.data().get(ValueLayout.JAVA_BYTE, n - 1);
                }
                if (t.type().decodable() && t.cols() <= 1 << 16) {
                    Dequant.dequantizeRow(t, t.rows() - 1, new float[(int) t.cols()], 0);
                }
            }
            return "ok";
        } catch (GgufFormatException e) {
            return "typed";
        } catch (Throwable e) {
            java.io.StringWriter sw = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(sw));
            return sw.toString().lines().limit(6).reduce((a, c) -> a + "\n   " + c).orElse(e.toString());
        }
    }
}
