package dev.sentemb.weights;

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

/**
 * Writes fp32 safetensors files (trained adapters, optimizer state, test models), one tensor at a time so a
 * large file never sits in memory whole. The file is written beside the target and moved into place, so an
 * interrupted write never leaves a truncated file under the final name.
 */
public final class SafetensorsWriter {
    /** A tensor to write: PyTorch shape, and its values produced when written. */
    public record Entry(String name, long[] shape, Supplier<float[]> values) {}

    private SafetensorsWriter() {}

    public static void write(Path file, List<Entry> entries) throws IOException {
        write(file, entries, java.util.Map.of());
    }

    /** As {@link #write(Path, List)} with string metadata ({@code __metadata__}, e.g. PEFT's {"format": "pt"}). */
    public static void write(Path file, List<Entry> entries, java.util.Map<String, String> metadata) throws IOException {
        ObjectNode header = new ObjectMapper().createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
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
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
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
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
