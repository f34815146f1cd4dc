package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentemb.SentembException;
import dev.sentemb.embed.Encoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One smallest reproducer per class of broken or hostile model file: each must end in a typed error
 * that names the file and the key or tensor, quickly, never in a hang, an OutOfMemoryError, a stack
 * overflow, an untyped exception or NaN embeddings.
 */
class HostileModelFilesTest {
    private static final Path HF = Path.of("src", "test", "resources", "hf");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A copy of a tiny fixture directory with its config.json edited. */
    private Path withConfig(String fixture, String file, Consumer<ObjectNode> edit) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(fixture + "-" + System.nanoTime()));
        try (Stream<Path> s = Files.list(HF.resolve(fixture))) {
            for (Path p : s.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        ObjectNode cfg = (ObjectNode) JSON.readTree(dir.resolve(file).toFile());
        edit.accept(cfg);
        JSON.writeValue(dir.resolve(file).toFile(), cfg);
        return dir;
    }

    /** Loading {@code model} (with {@code adapter}, may be null) fails, typed, in seconds, with all of {@code words} in the message. */
    private static SentembException fails(Path model, Path adapter, String... words) {
        SentembException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(SentembException.class, () -> {
            try (Encoder enc = Encoder.builder(model.toString()).adapter(adapter).threads(1).build()) {
                enc.embed("A man plays a guitar.");
            }
        }));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' not in: " + e.getMessage());
        }
        assertTrue(e.getMessage().length() < 400, "short: " + e.getMessage());
        return e;
    }

    @Test
    void numbersThatWouldMakeNaNsAreRefused() throws Exception {
        fails(withConfig("llama", "config.json", c -> c.put("rms_norm_eps", "NaN")), null, "config.json", "rms_norm_eps", "finite");
        fails(withConfig("llama", "config.json", c -> c.put("rms_norm_eps", 0.0)), null, "config.json", "epsilon", "> 0");
        fails(withConfig("llama", "config.json", c -> ((ObjectNode) c.get("rope_parameters")).put("rope_theta", 0.0)), null,
                "config.json", "rope base", "> 0");
        fails(HF.resolve("llama").toAbsolutePath(), withConfig("llama-lora", "adapter_config.json", c -> c.put("lora_alpha", "NaN")),
                "adapter_config.json", "lora_alpha", "finite");
    }

    @Test
    void shapesAreCheckedBeforeAnythingIsSizedByThem() throws Exception {
        fails(withConfig("llama", "config.json", c -> c.put("num_attention_heads", 0)), null, "config.json", "num_attention_heads");
        fails(withConfig("llama", "config.json", c -> c.put("num_hidden_layers", Integer.MAX_VALUE)), null, "config.json", "layers", "2147483647");
        fails(withConfig("llama", "config.json", c -> c.put("head_dim", 1 << 30)), null, "config.json", "head dim", "1073741824");
        fails(withConfig("llama", "config.json", c -> c.put("hidden_size", 1e30)), null, "config.json", "'hidden_size' must be an integer");
        fails(withConfig("llama", "config.json", c -> {
            c.put("num_attention_heads", 5);
            c.remove("head_dim");
        }), null, "config.json", "does not divide 'hidden_size' 64");
        fails(withConfig("opt", "config.json", c -> c.put("num_attention_heads", 5)), null, "config.json", "divide 'hidden_size'");
        fails(withConfig("gemma3", "config.json", c -> {
            c.remove("layer_types");
            c.put("sliding_window_pattern", 0);
        }), null, "config.json", "sliding_window_pattern");
    }

    @Test
    void typesAreStrict() throws Exception {
        fails(withConfig("opt", "config.json", c -> c.put("do_layer_norm_before", "abc")), null, "config.json", "do_layer_norm_before",
                "true or false", "\"abc\"");
        SentembException e = fails(withConfig("llama", "config.json", c -> c.put("hidden_size", "x".repeat(5000))), null, "config.json");
        assertTrue(e.getMessage().contains("5002 characters"), "a long value is cut: " + e.getMessage());
    }

    @Test
    void adaptersAreCheckedBeforeTheirTensorsAreRead() throws Exception {
        Path llama = HF.resolve("llama").toAbsolutePath();
        fails(llama, withConfig("llama-lora", "adapter_config.json", c -> c.put("r", 0)), "adapter_config.json", "'r'");
        // a lora_B without its lora_A: the module is not silently dropped
        Path dir = withConfig("llama-lora", "adapter_config.json", c -> {});
        var st = dev.sentemb.weights.SafetensorsFile.open(dir.resolve("adapter_model.safetensors"));
        java.util.List<dev.sentemb.weights.SafetensorsWriter.Entry> kept = new java.util.ArrayList<>();
        String dropped = null;
        for (var t : st.tensors().values()) {
            if (dropped == null && t.name().endsWith(".lora_A.weight")) {
                dropped = t.name();
                continue;
            }
            float[] v = new float[(int) t.elementCount()];
            dev.sentemb.weights.Dequant.dequantize(t.decodableType(), t.data(), 0, v, 0, v.length);
            kept.add(new dev.sentemb.weights.SafetensorsWriter.Entry(t.name(), t.shape(), () -> v));
        }
        st.close();
        Files.delete(dir.resolve("adapter_model.safetensors"));
        dev.sentemb.weights.SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), kept);
        fails(llama, dir, dir.getFileName().toString(), dropped.replace(".lora_A.weight", ".lora_B.weight"), "has no");
    }

    @Test
    void aPipeWhereAFileBelongsIsRefusedNotWaitedOn() throws Exception {
        Path dir = withConfig("llama", "config.json", c -> {});
        Files.delete(dir.resolve("model.safetensors"));
        Process p = new ProcessBuilder("mkfifo", dir.resolve("model.safetensors").toString()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo is not available");
        // not a regular file: the directory has no weights (the FIFO is never opened)
        SentembException e = fails(dir, null, dir.getFileName().toString());
        assertEquals(-1, e.getMessage().indexOf("Exception"), e.getMessage());
        Path tok = withConfig("llama", "config.json", c -> {});
        Files.delete(tok.resolve("tokenizer.json"));
        assertEquals(0, new ProcessBuilder("mkfifo", tok.resolve("tokenizer.json").toString()).start().waitFor());
        fails(tok, null, "tokenizer");
    }

    @Test
    void aShardNameWithANulIsRefused() throws Exception {
        Path dir = withConfig("llama", "config.json", c -> {});
        Files.move(dir.resolve("model.safetensors"), dir.resolve("model-00001-of-00001.safetensors"));
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\": {\"embed_tokens.weight\": \"model\\u0000.safetensors\"}}");
        fails(dir, null, "model.safetensors.index.json", "unsafe shard file", "model?.safetensors");
    }
}
