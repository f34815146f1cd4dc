package dev.sentemb.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a tensor-less GGUF v3 holding only the metadata a tokenizer test needs. */
final class MiniGguf {
    private final Map<String, Object> kv = new LinkedHashMap<>();

    MiniGguf put(String key, Object value) {
        kv.put(key, value);
        return this;
    }

    Path write(Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        u32(out, 3);
        u64(out, 0);
        u64(out, kv.size());
        kv.forEach((k, v) -> {
            str(out, k);
            switch (v) {
                case String s -> { u32(out, 8); str(out, s); }
                case Boolean b -> { u32(out, 7); out.write(b ? 1 : 0); }
                case Integer i -> { u32(out, 5); u32(out, i); }
                case String[] a -> { u32(out, 9); u32(out, 8); u64(out, a.length); for (String s : a) { str(out, s); } }
                case int[] a -> { u32(out, 9); u32(out, 5); u64(out, a.length); for (int i : a) { u32(out, i); } }
                default -> throw new IllegalArgumentException(k);
            }
        });
        while (out.size() % 32 != 0) {
            out.write(0);
        }
        try {
            Path p = Files.createTempFile(dir, "mini", ".gguf");
            Files.write(p, out.toByteArray());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private static void u64(ByteArrayOutputStream out, long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(out, b.length);
        out.writeBytes(b);
    }
}
