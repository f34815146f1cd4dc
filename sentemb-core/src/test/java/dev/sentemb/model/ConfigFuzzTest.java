package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentemb.SentembException;
import dev.sentemb.embed.Encoder;
import dev.sentemb.kernel.Parallel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every top-level value of every tiny fixture's config.json (and of a PEFT adapter's config) replaced by
 * each of a set of hostile values: zero, negative, huge, fractional, non-finite as a string, the wrong
 * type, null, a container. The only outcomes allowed are a typed error naming the file, or a model whose
 * embeddings are finite. Counts per outcome are printed for the closing note.
 */
class ConfigFuzzTest {
    private static final Path HF = Path.of("src", "test", "resources", "hf");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<JsonNode> HOSTILE = List.of(F.numberNode(0), F.numberNode(-1), F.numberNode(Integer.MAX_VALUE),
            F.numberNode(1L << 40), F.numberNode(1e30), F.numberNode(0.5), F.textNode("NaN"), F.textNode("abc"), F.booleanNode(true),
            F.nullNode(), F.arrayNode(), F.objectNode());
    private static Parallel pool;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        pool = new Parallel(1);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    private static Path copy(String fixture) throws Exception {
        Path dir = Files.createTempDirectory(tmp, fixture);
        try (Stream<Path> s = Files.list(HF.resolve(fixture))) {
            for (Path p : s.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    /** "ok", "typed", or a description of a forbidden outcome. */
    private static String outcome(Path model, Path adapter, String file) {
        try (Encoder enc = Encoder.builder(model.toString()).adapter(adapter).pool(pool).build()) {
            for (float[] v : enc.embed(List.of("A man plays a guitar.", "x"))) {
                for (float x : v) {
                    if (!Float.isFinite(x)) {
                        return "non-finite embedding without an error";
                    }
                }
            }
            return "ok";
        } catch (SentembException e) {
            // the file, or the model directory it sits in (a tensor whose shape disagrees with the config)
            if (!e.getMessage().contains(file) && !e.getMessage().contains(model.getFileName().toString())
                    && (adapter == null || !e.getMessage().contains(adapter.getFileName().toString()))) {
                return "typed error naming neither " + file + " nor its directory: " + e.getMessage();
            }
            if (e.getMessage().length() > 500) {
                return "overlong message (" + e.getMessage().length() + " chars)";
            }
            return "typed";
        } catch (Throwable t) {
            return "untyped " + t;
        }
    }

    private static void fuzz(String fixture, String file, Path base, Map<String, Integer> counts, List<String> bad) throws Exception {
        Path dir = copy(fixture);
        Path cfgFile = dir.resolve(file);
        ObjectNode original = (ObjectNode) JSON.readTree(cfgFile.toFile());
        List<String> keys = new ArrayList<>();
        original.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            for (JsonNode value : HOSTILE) {
                ObjectNode c = original.deepCopy();
                c.set(key, value);
                JSON.writeValue(cfgFile.toFile(), c);
                String o = base == null ? outcome(dir, null, file) : outcome(base, dir, file);
                counts.merge(o.startsWith("ok") || o.startsWith("typed") ? o : "FORBIDDEN", 1, Integer::sum);
                if (!o.equals("ok") && !o.equals("typed")) {
                    bad.add(fixture + "/" + file + " " + key + "=" + value + ": " + o);
                }
            }
        }
        JSON.writeValue(cfgFile.toFile(), original);
    }

    @Test
    void everyHostileConfigValueIsATypedErrorOrAWorkingModel() throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        List<String> bad = new ArrayList<>();
        for (String fixture : List.of("llama", "qwen2", "gemma3", "opt", "opt-proj")) {
            fuzz(fixture, "config.json", null, counts, bad);
        }
        fuzz("llama-lora", "adapter_config.json", HF.resolve("llama").toAbsolutePath(), counts, bad);
        System.out.println("config fuzz outcomes: " + counts);
        assertTrue(counts.getOrDefault("typed", 0) > 100, counts.toString());
        assertEquals(List.of(), bad.subList(0, Math.min(bad.size(), 40)), bad.size() + " forbidden outcomes");
    }
}
