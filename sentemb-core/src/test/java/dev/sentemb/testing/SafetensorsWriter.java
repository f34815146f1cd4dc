package dev.sentemb.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** Writes fp32 safetensors files for tests, one tensor at a time (a real model never sits in memory whole). */
public final class SafetensorsWriter {
    /** A tensor to write: PyTorch shape, and its values produced when written. */
    public record Entry(String name, long[] shape, Supplier<float[]> values) {}

    private SafetensorsWriter() {}

    public static void write(Path file, List<Entry> entries) throws IOException {
        ObjectNode header = new ObjectMapper().createObjectNode();
        long at = 0;
        for (Entry e : entries) {
            long n = 1;
            for (long s : e.shape()) {
                n *= s;
            }
            ObjectNode t = header.putObject(e.name());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long s : e.shape()) {
                shape.add(s);
            }
            t.putArray("data_offsets").add(at).add(at + 4 * n);
            at += 4 * n;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        int pad = (8 - json.length % 8) % 8; // the format pads the header with spaces to 8 bytes
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length + pad).array());
            out.write(json);
            out.write(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
            for (Entry e : entries) {
                float[] v = e.values().get();
                ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                out.write(b.array());
            }
        }
    }
}
