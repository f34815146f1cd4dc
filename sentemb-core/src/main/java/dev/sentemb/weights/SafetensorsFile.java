package dev.sentemb.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A safetensors file, memory-mapped whole: an 8-byte little-endian header length, a JSON header
 * ({@code name -> {dtype, shape, data_offsets}}), then the tensor bytes. Every length and offset is
 * checked against the file size before use, so a truncated or hostile file gives a
 * {@link CheckpointFormatException} with the offending byte offset, never a crash in a kernel.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Headers beyond this are refused rather than parsed (the format's own limit is 100 MB). */
    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final Arena arena;
    private final Map<String, CheckpointTensor> tensors;

    private SafetensorsFile(Path path, Arena arena, Map<String, CheckpointTensor> tensors) {
        this.path = path;
        this.arena = arena;
        this.tensors = tensors;
    }

    public static SafetensorsFile open(Path path) {
        HfCheckpoint.requireRegularFile(path);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new SafetensorsFile(path, arena, parse(path, map));
        } catch (IOException e) {
            arena.close();
            throw new CheckpointFormatException(path, -1, "cannot read: " + e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static Map<String, CheckpointTensor> parse(Path path, MemorySegment map) {
        long size = map.byteSize();
        if (size < 8) {
            throw new CheckpointFormatException(path, 0, "file of " + size + " bytes is too short for a safetensors header length");
        }
        long headerLen = map.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
            throw new CheckpointFormatException(path, 0, "header length " + Long.toUnsignedString(headerLen)
                    + " does not fit in the file of " + size + " bytes (truncated or not safetensors)");
        }
        byte[] json = map.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
        JsonNode header;
        try {
            header = new ObjectMapper().readTree(new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CheckpointFormatException(path, 8, "header is not valid JSON: " + HfCheckpoint.jsonProblem(e));
        }
        if (header == null || !header.isObject()) {
            throw new CheckpointFormatException(path, 8, "header is not a JSON object");
        }
        long dataStart = 8 + headerLen;
        long dataSize = size - dataStart;
        Map<String, CheckpointTensor> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            String dtype = t.path("dtype").asText("");
            JsonNode shapeNode = t.path("shape");
            JsonNode offs = t.path("data_offsets");
            if (!shapeNode.isArray() || !offs.isArray() || offs.size() != 2 || dtype.isEmpty()) {
                throw new CheckpointFormatException(path, 8, "tensor " + dev.sentemb.SentembException.capped(name) + " lacks dtype, shape or data_offsets");
            }
            long[] shape = new long[shapeNode.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw new CheckpointFormatException(path, 8, "tensor " + dev.sentemb.SentembException.capped(name) + " has a negative dimension");
                }
                elements = Math.multiplyHigh(elements, shape[i]) != 0 ? -1 : elements * shape[i];
                if (elements < 0) {
                    throw new CheckpointFormatException(path, 8, "tensor " + dev.sentemb.SentembException.capped(name) + " has an impossible shape");
                }
            }
            long begin = offs.get(0).asLong(-1);
            long end = offs.get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataSize) {
                throw new CheckpointFormatException(path, dataStart + Math.max(begin, 0), "tensor " + dev.sentemb.SentembException.capped(name) + " claims bytes ["
                        + begin + ", " + end + ") of a data section of " + dataSize + " bytes (file truncated?)");
            }
            int width = CheckpointTensor.sizeOf(dtype);
            if (width > 0 && end - begin != elements * width) {
                throw new CheckpointFormatException(path, dataStart + begin, "tensor " + dev.sentemb.SentembException.capped(name) + " has " + (end - begin)
                        + " bytes, but " + dtype + " of shape " + shapeNode + " needs " + elements * width);
            }
            out.put(name, new CheckpointTensor(name, CheckpointTensor.typeOf(dtype), dtype, shape,
                    map.asSlice(dataStart + begin, end - begin), path));
        }
        return out;
    }

    public Path path() {
        return path;
    }

    /** Tensors by name, in header order. Their segments die with {@link #close()}. */
    public Map<String, CheckpointTensor> tensors() {
        return tensors;
    }

    @Override
    public void close() {
        arena.close();
    }
}
