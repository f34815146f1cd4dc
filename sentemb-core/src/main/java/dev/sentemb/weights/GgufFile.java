package dev.sentemb.weights;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF model file (versions 2 and 3, little-endian), memory-mapped whole so that weights are
 * read in place: opening a 1 GB model costs the metadata parse, not a copy. Tensors are slices of
 * the mapping and stay valid until {@link #close()}, which unmaps the file; any later access to a
 * tensor's segment throws {@link IllegalStateException}. The mapping uses a shared arena so that
 * all threads of a matmul may read it.
 *
 * <p>{@link #open} validates every header field before using it: a truncated, corrupt or hostile
 * file gives a {@link GgufFormatException} with the byte offset of the problem.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final int version;
    private final int alignment;
    private final long dataOffset;
    private final GgufMetadata metadata;
    private final List<GgufTensor> tensors;
    private final Map<String, GgufTensor> byName;

    private GgufFile(Path path, Arena arena, MemorySegment mapping, GgufParser.Parsed parsed) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.version = parsed.version();
        this.alignment = parsed.alignment();
        this.dataOffset = parsed.dataOffset();
        this.metadata = parsed.metadata();
        this.tensors = parsed.tensors();
        this.byName = new HashMap<>();
        for (GgufTensor t : tensors) {
            byName.put(t.name(), t);
        }
    }

    /**
     * Maps and parses a GGUF file.
     *
     * @throws GgufFormatException if the file is missing, unreadable, not GGUF, of an unsupported
     *                             version or malformed in any way
     */
    public static GgufFile open(Path path) {
        if (Files.isDirectory(path)) {
            throw new GgufFormatException(path, -1, "is a directory, not a GGUF file");
        }
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new GgufFormatException(path, -1, "is not a regular file (a pipe or device), not a GGUF file");
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment mapping;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                long size = ch.size();
                mapping = size == 0 ? MemorySegment.ofArray(new byte[0]) : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            }
            GgufFile f = new GgufFile(path, arena, mapping, GgufParser.parse(mapping, path));
            arena = null; // owned by the file now
            return f;
        } catch (NoSuchFileException e) {
            throw new GgufFormatException(path, -1, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new GgufFormatException(path, -1, "permission denied", e);
        } catch (IOException e) {
            throw new GgufFormatException(path, -1, "cannot read: " + e.getMessage(), e);
        } finally {
            if (arena != null) {
                arena.close();
            }
        }
    }

    /** GGUF version (2 or 3). */
    public int version() {
        return version;
    }

    /** Alignment of tensor data ({@code general.alignment}, default 32). */
    public int alignment() {
        return alignment;
    }

    public Path path() {
        return path;
    }

    public long fileSize() {
        return mapping.byteSize();
    }

    /** Absolute offset of the tensor data section (the end of the header, aligned). */
    public long dataOffset() {
        return dataOffset;
    }

    /** The whole file mapping (read-only; invalid after {@link #close()}). */
    public MemorySegment segment() {
        return mapping;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** Tensors in file order (unmodifiable). */
    public List<GgufTensor> tensors() {
        return tensors;
    }

    /**
     * The tensor with this name.
     *
     * @throws GgufFormatException naming the file if there is none
     */
    public GgufTensor tensor(String name) {
        GgufTensor t = byName.get(name);
        if (t == null) {
            throw new GgufFormatException(path, -1, "no tensor named '" + name + "' (the file has " + tensors.size() + " tensors)");
        }
        return t;
    }

    public Optional<GgufTensor> findTensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Unmaps the file. Segments of its tensors must not be used afterwards. Idempotent. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "GgufFile{" + path + ", v" + version + ", " + metadata.size() + " keys, " + tensors.size() + " tensors}";
    }
}
