package dev.sentemb.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Hugging Face model directory's config and weights: {@code config.json} plus {@code model.safetensors},
 * sharded safetensors ({@code model.safetensors.index.json}), or {@code pytorch_model.bin} (sharded or
 * not), read with the allow-listed {@link TorchCheckpoint} reader. Safetensors stay memory-mapped
 * until {@link #close()}.
 *
 * <p>Tensor names are kept as saved, except that a leading {@code model.} (what a {@code *ForCausalLM}
 * saves, as opposed to the bare {@code *Model}) is dropped, so both spellings look the same.
 */
public final class HfCheckpoint implements AutoCloseable {
    private final Path dir;
    private final JsonNode config;
    private final Map<String, CheckpointTensor> tensors;
    private final List<SafetensorsFile> open;
    private final String format;

    private HfCheckpoint(Path dir, JsonNode config, Map<String, CheckpointTensor> tensors, List<SafetensorsFile> open, String format) {
        this.dir = dir;
        this.config = config;
        this.tensors = tensors;
        this.open = open;
        this.format = format;
    }

    /** Whether {@code dir} looks like a Hugging Face model directory (it has a config.json). */
    public static boolean isModelDirectory(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("config.json"));
    }

    public static HfCheckpoint open(Path dir) {
        JsonNode config = readJson(dir.resolve("config.json"));
        List<SafetensorsFile> open = new ArrayList<>();
        Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
        String format;
        try {
            if (Files.isRegularFile(dir.resolve("model.safetensors"))) {
                format = "safetensors";
                addSafetensors(dir.resolve("model.safetensors"), open, tensors);
            } else if (Files.isRegularFile(dir.resolve("model.safetensors.index.json"))) {
                format = "sharded safetensors";
                for (String shard : shards(dir.resolve("model.safetensors.index.json"))) {
                    addSafetensors(dir.resolve(shard), open, tensors);
                }
            } else if (Files.isRegularFile(dir.resolve("pytorch_model.bin"))) {
                format = "pytorch_model.bin";
                put(tensors, TorchCheckpoint.read(dir.resolve("pytorch_model.bin")));
            } else if (Files.isRegularFile(dir.resolve("pytorch_model.bin.index.json"))) {
                format = "sharded pytorch_model.bin";
                for (String shard : shards(dir.resolve("pytorch_model.bin.index.json"))) {
                    put(tensors, TorchCheckpoint.read(dir.resolve(shard)));
                }
            } else {
                throw new CheckpointFormatException(dir, -1, "no weights: expected model.safetensors, model.safetensors.index.json"
                        + " or pytorch_model.bin");
            }
        } catch (RuntimeException e) {
            open.forEach(SafetensorsFile::close);
            throw e;
        }
        return new HfCheckpoint(dir, config, tensors, open, format);
    }

    private static void addSafetensors(Path file, List<SafetensorsFile> open, Map<String, CheckpointTensor> tensors) {
        SafetensorsFile f = SafetensorsFile.open(file);
        open.add(f);
        put(tensors, f.tensors());
    }

    private static void put(Map<String, CheckpointTensor> into, Map<String, CheckpointTensor> from) {
        from.forEach((name, t) -> into.put(name.startsWith("model.") ? name.substring(6) : name, t));
    }

    /** A regular file, or a typed error: opening a pipe or device would block forever or read without end. */
    public static void requireRegularFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointFormatException(file, -1, Files.exists(file) ? "is not a regular file (a directory, pipe or device)" : "does not exist");
        }
    }

    /** Shard file names of an index, in first-use order. */
    private static List<String> shards(Path index) {
        JsonNode map = readJson(index).path("weight_map");
        if (!map.isObject()) {
            throw new CheckpointFormatException(index, -1, "has no weight_map object");
        }
        LinkedHashSet<String> files = new LinkedHashSet<>();
        map.properties().forEach(e -> {
            String f = e.getValue().asText("");
            if (f.isEmpty() || f.contains("/") || f.contains("\\") || f.startsWith(".") || f.length() > 255
                    || f.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f) || !encodable(f)) {
                throw new CheckpointFormatException(index, -1, "weight_map names an unsafe shard file '"
                        + dev.sentemb.SentembException.capped(f) + "' (a plain file name beside the index is expected)");
            }
            files.add(f);
        });
        return List.copyOf(files);
    }

    /** A name the file system can hold (an unpaired surrogate cannot be encoded as a path). */
    private static boolean encodable(String name) {
        try {
            Path.of(name);
            return true;
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** A JSON reader's complaint on one line: what and where (line, column), without the parser's source dump. */
    public static String jsonProblem(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jp) {
            var at = jp.getLocation();
            return dev.sentemb.SentembException.capped(jp.getOriginalMessage().lines().findFirst().orElse(""))
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
        return dev.sentemb.SentembException.capped(e.getMessage());
    }

    /** Reads a JSON file, with a typed error naming it. */
    public static JsonNode readJson(Path file) {
        requireRegularFile(file);
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new CheckpointFormatException(file, -1, "is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new CheckpointFormatException(file, -1, "cannot read JSON: " + jsonProblem(e));
        }
    }

    public Path directory() {
        return dir;
    }

    public JsonNode config() {
        return config;
    }

    /** "safetensors", "sharded safetensors", "pytorch_model.bin", ... */
    public String format() {
        return format;
    }

    public Optional<CheckpointTensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    public Map<String, CheckpointTensor> tensors() {
        return tensors;
    }

    @Override
    public void close() {
        open.forEach(SafetensorsFile::close);
    }
}
