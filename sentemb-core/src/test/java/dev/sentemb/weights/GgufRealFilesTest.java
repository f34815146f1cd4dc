package dev.sentemb.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real model files against what python's gguf.GGUFReader reports for them
 * (weights/gguf-expected.json, written by tools/oracle/quant_fixtures.py).
 */
class GgufRealFilesTest {
    static JsonNode expected() throws Exception {
        try (InputStream in = GgufRealFilesTest.class.getResourceAsStream("/weights/gguf-expected.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void modelsMatchGgufReader() throws Exception {
        for (JsonNode file : expected().get("files")) {
            Path path = TestModels.require(file.get("file").asText());
            try (GgufFile f = GgufFile.open(path)) {
                String where = file.get("file").asText();
                assertEquals(file.get("size").asLong(), f.fileSize(), where);
                assertEquals(file.get("version").asInt(), f.version(), where);
                assertEquals(file.get("alignment").asInt(), f.alignment(), where);
                assertEquals(file.get("dataOffset").asLong(), f.dataOffset(), where);
                checkMetadata(f.metadata(), file.get("metadata"), where);
                checkTensors(f, file.get("tensors"), where);
            }
        }
    }

    private static void checkMetadata(GgufMetadata m, JsonNode kv, String where) throws Exception {
        List<String> keys = new ArrayList<>();
        kv.fieldNames().forEachRemaining(keys::add);
        assertEquals(keys, List.copyOf(m.keys()), where + ": keys in file order");
        for (String k : keys) {
            JsonNode e = kv.get(k);
            String type = e.get("type").asText();
            assertEquals(type, m.type(k).name(), where + " " + k);
            switch (type) {
                case "STRING" -> assertEquals(e.get("value").asText(), m.getString(k), k);
                case "BOOL" -> assertEquals(e.get("value").asBoolean(), m.getBoolean(k), k);
                case "FLOAT32", "FLOAT64" -> assertEquals((float) e.get("value").asDouble(), m.getFloat(k), k);
                case "ARRAY" -> checkArray(m, k, e);
                default -> assertEquals(e.get("value").asLong(), m.getLong(k), k);
            }
        }
    }

    private static void checkArray(GgufMetadata m, String k, JsonNode e) throws Exception {
        GgufArray a = m.getArray(k);
        assertEquals(e.get("elementType").asText(), a.elementType().name(), k);
        assertEquals(e.get("length").asInt(), a.length(), k);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        switch (a.elementType()) {
            case STRING -> {
                String[] s = m.getStringArray(k);
                for (String v : s) {
                    byte[] b = v.getBytes(StandardCharsets.UTF_8);
                    sha.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
                    sha.update(b);
                }
                assertEquals(e.get("first").get(0).asText(), s[0], k);
                assertEquals(e.get("last").get(e.get("last").size() - 1).asText(), s[s.length - 1], k);
            }
            case INT32, UINT32, INT8, UINT8, INT16, UINT16, INT64 -> {
                long[] v = m.getLongArray(k);
                ByteBuffer bb = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                for (long x : v) {
                    bb.putLong(x);
                }
                sha.update(bb.array());
                assertEquals(e.get("first").get(0).asLong(), v[0], k);
            }
            default -> throw new AssertionError("no check for arrays of " + a.elementType() + " (" + k + ")");
        }
        assertEquals(e.get("sha256").asText(), HexFormat.of().formatHex(sha.digest()), k + " contents");
    }

    private static void checkTensors(GgufFile f, JsonNode tensors, String where) {
        assertEquals(tensors.size(), f.tensors().size(), where + ": tensor count");
        Iterator<JsonNode> it = tensors.iterator();
        for (GgufTensor t : f.tensors()) {
            JsonNode e = it.next();
            String name = e.get("name").asText();
            assertEquals(name, t.name(), where);
            assertEquals(e.get("type").asInt(), t.type().id(), name);
            assertEquals(e.get("typeName").asText(), t.type().name(), name);
            long[] dims = new long[e.get("dims").size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = e.get("dims").get(i).asLong();
            }
            assertEquals(java.util.Arrays.toString(dims), java.util.Arrays.toString(t.dims()), name);
            assertEquals(e.get("offset").asLong(), t.fileOffset(), name);
            assertEquals(e.get("bytes").asLong(), t.byteSize(), name);
            assertTrue(f.tensor(name) == t);
        }
    }

    @Test
    void smollm2Basics() {
        try (GgufFile f = GgufFile.open(TestModels.require("smollm2-135m"))) {
            GgufMetadata m = f.metadata();
            assertEquals("llama", m.getString("general.architecture"));
            assertEquals(576, m.getInt("llama.embedding_length"));
            assertEquals(49152, m.getStringArray("tokenizer.ggml.tokens").length);
            assertEquals(48900, m.arrayLength("tokenizer.ggml.merges"));
            assertEquals(49152, m.getIntArray("tokenizer.ggml.token_type").length);
            assertEquals(1e-5f, m.getFloat("llama.attention.layer_norm_rms_epsilon"));
            GgufTensor emb = f.tensor("token_embd.weight");
            assertEquals(GgmlType.Q8_0, emb.type());
            assertEquals(576, emb.cols());
            assertEquals(49152, emb.rows());
        }
    }

    /** The large vocabulary arrays parse whole; the time is printed (speed belongs in benchmarks). */
    @Test
    void qwenVocabularyArraysParse() {
        Path p = TestModels.require("qwen2.5-coder-0.5b");
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            try (GgufFile f = GgufFile.open(p)) {
                assertEquals(151936, f.metadata().arrayLength("tokenizer.ggml.tokens"));
                assertEquals(151387, f.metadata().arrayLength("tokenizer.ggml.merges"));
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("qwen2.5-coder-0.5b open (151936 tokens, 151387 merges): best of 3 = %.1f ms%n", best / 1e6);
    }

    /**
     * The shared vocab-only file ggml-vocab-gpt-2.gguf is damaged: every byte that was not valid
     * UTF-8 was replaced by EF BF BD (U+FFFD), as a text-mode copy does. The first victim is the
     * float32 of gpt2.attention.layer_norm_epsilon; the shifted bytes that follow make the next
     * key length absurd. The reader must say so, not crash.
     */
    @Test
    void damagedVocabFileIsATypedError() throws Exception {
        Path p = TestModels.shared().resolve("tokenizers/gguf-vocab/ggml-vocab-gpt-2.gguf");
        assertTrue(Files.isRegularFile(p), p.toString());
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(p));
        assertEquals(p, e.path());
        assertTrue(e.offset() > 0x140 && e.offset() < 0x200, e.getMessage());
        assertTrue(e.getMessage().contains("at byte " + e.offset()), e.getMessage());
    }
}
