package dev.sentemb.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentemb.SentembException;
import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.testing.TestGgufWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smallest reproducer of each kind of finding {@link ModelFuzz} made before it ran clean: errors that did
 * not name their file, untyped exceptions from tokenizer files, messages that quoted megabytes, a vocabulary
 * larger than the embedding matrix accepted at load.
 */
class FuzzFindingsTest {
    private static final Path HF = Path.of("src", "test", "resources", "hf");

    @TempDir
    Path tmp;

    private Path copy(String fixture) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(fixture + "-" + System.nanoTime()));
        try (Stream<Path> s = Files.list(HF.resolve(fixture))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    private Path withJson(String fixture, String file, Consumer<ObjectNode> edit) throws IOException {
        Path dir = copy(fixture);
        ObjectNode n = (ObjectNode) Mutations.JSON.readTree(dir.resolve(file).toFile());
        edit.accept(n);
        Mutations.JSON.writeValue(dir.resolve(file).toFile(), n);
        return dir;
    }

    /** Loading fails with a typed error of at most two lines and 400 characters holding every one of {@code words}. */
    private static SentembException fails(Path model, String... words) {
        SentembException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(SentembException.class, () -> {
            try (Encoder enc = Encoder.builder(model.toString()).threads(1).build()) {
                enc.embed("A man plays a guitar.");
            }
        }));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' not in: " + e.getMessage());
        }
        assertTrue(e.getMessage().length() < 400 && e.getMessage().lines().count() <= 2, "short: " + e.getMessage());
        return e;
    }

    @Test
    void tokenizerFileErrorsNameTheFileAndAreTyped() throws Exception {
        Path opt = copy("opt");
        ObjectNode vocab = (ObjectNode) Mutations.JSON.readTree(opt.resolve("vocab.json").toFile());
        vocab.remove("the"); // was a NullPointerException: a gap in the ids
        Mutations.JSON.writeValue(opt.resolve("vocab.json").toFile(), vocab);
        fails(opt, "vocab.json", "not contiguous");

        Path merges = copy("opt");
        String m = Files.readString(merges.resolve("merges.txt"));
        Files.writeString(merges.resolve("merges.txt"), m.replaceFirst("\n([^#\n]+)\n", "\n$1 extra\n"));
        fails(merges, "merges.txt", "not two tokens");

        fails(withJson("qwen2", "tokenizer.json", t -> ((ArrayNode) t.get("model").get("merges")).set(0,
                Mutations.JSON.createArrayNode().add("e"))), "tokenizer.json", "model.merges[0]");
        fails(withJson("opt-bin", "tokenizer.json", t -> ((ObjectNode) t.get("post_processor")).set("single",
                Mutations.JSON.createObjectNode())), "tokenizer.json", "post_processor.single");
        fails(withJson("llama", "tokenizer.json", t -> ((ObjectNode) t.get("model").get("vocab")).put("e", 1e30)), "tokenizer.json",
                "expected an integer token id");
        fails(withJson("qwen2", "tokenizer.json", t -> ((ArrayNode) t.get("model").get("merges")).set(3,
                Mutations.JSON.getNodeFactory().textNode("x".repeat(200_000) + " y"))), "tokenizer.json", "200000 characters");
    }

    @Test
    void ggufShapeAndTokenizerErrorsNameTheFile() throws Exception {
        GgufModelBase base = GgufModelBase.fromHfFixture(HF.resolve("llama"));
        Path swapped = Files.write(tmp.resolve("swapped.gguf"), base.edited(null, null, "blk.1.attn_v.weight", new long[] {32, 64}));
        fails(swapped, "swapped.gguf", "blk.1.attn_v.weight");
        // the tokenizer's 400 tokens against a 2-row embedding: refused at load, not at the first sentence with id >= 2
        Path small = Files.write(tmp.resolve("small.gguf"), base.edited(null, null, "token_embd.weight", new long[] {64, 2}));
        fails(small, "small.gguf", "400 tokens", "2 rows");
        Path pre = Files.write(tmp.resolve("pre.gguf"), base.edited("tokenizer.ggml.pre", "x".repeat(100_000), null, null));
        fails(pre, "pre.gguf", "100000 characters");
        Path model = Files.write(tmp.resolve("model.gguf"), base.edited("tokenizer.ggml.model", "y".repeat(100_000), null, null));
        fails(model, "model.gguf", "100000 characters");
    }

    @Test
    void aNameLengthThatSwallowsBinaryStaysOneShortLine() throws Exception {
        GgufModelBase base = GgufModelBase.fromHfFixture(HF.resolve("llama"));
        TestGgufWriter w = base.writer();
        byte[] b = w.build();
        TestGgufWriter.Field f = w.fields().stream().filter(x -> x.what().equals("tensor name length")).skip(3).findFirst().orElseThrow();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong((int) f.offset(), 65_535);
        fails(Files.write(tmp.resolve("long-name.gguf"), b), "long-name.gguf", "characters)");
    }

    @Test
    void aLongRopeTypeIsQuotedShortForGemmaToo() throws Exception {
        fails(withJson("gemma3", "config.json", c -> ((ObjectNode) c.get("rope_parameters").get("full_attention"))
                .put("rope_type", "x".repeat(100_000))), "100000 characters");
        fails(withJson("qwen2", "config.json", c -> ((ObjectNode) c.get("rope_parameters")).put("rope_type", "x".repeat(100_000))),
                "100000 characters");
    }

    @Test
    void aShardNameThatIsNoPathIsTyped() throws Exception {
        Path dir = withJson("opt-proj", "model.safetensors.index.json", i -> ((ObjectNode) i.get("weight_map"))
                .put("decoder.layers.0.fc1.bias", "\uD800.safetensors"));
        fails(dir, "model.safetensors.index.json", "unsafe shard file");
    }

    @Test
    void aLongDtypeIsQuotedShort() throws Exception {
        Path dir = copy("llama");
        byte[] file = Files.readAllBytes(dir.resolve("model.safetensors"));
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        ObjectNode header = (ObjectNode) Mutations.JSON.readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8));
        String first = header.fieldNames().next().equals("__metadata__") ? List.copyOf(iter(header)).get(1) : header.fieldNames().next();
        ((ObjectNode) header.get(first)).put("dtype", "Z".repeat(100_000));
        byte[] data = java.util.Arrays.copyOfRange(file, (int) (8 + n), file.length);
        Files.write(dir.resolve("model.safetensors"), FormatMutations.assembleSafetensors(header, data));
        fails(dir, "model.safetensors", "100000 characters");
    }

    private static List<String> iter(ObjectNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aPromptOverTheContextSaysWhereTheLimitComesFrom() throws Exception {
        GgufModelBase base = GgufModelBase.fromHfFixture(HF.resolve("llama"));
        Path tiny = Files.write(tmp.resolve("ctx5.gguf"), base.edited("llama.context_length", 5, null, null));
        try (Encoder enc = Encoder.builder(tiny.toString()).threads(1).build()) {
            List<EmbedResult> r = enc.embedEach(List.of("A man plays a guitar."), null);
            assertFalse(r.get(0).isOk());
            assertTrue(r.get(0).error().contains("limit of 5 (the context length " + tiny + " states; truncation is off)"), r.get(0).error());
            assertEquals(5, enc.maxPromptTokens());
        }
    }
}
