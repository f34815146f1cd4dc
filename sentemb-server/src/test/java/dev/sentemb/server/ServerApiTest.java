package dev.sentemb.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentemb.embed.Encoder;
import dev.sentemb.embed.Similarity;
import dev.sentemb.prompt.Templates;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both API shapes over real loopback sockets, on the tiny llama checkpoint (fast) served under two aliases
 * (plain and a demonstration template): every answer's vectors equal the library's bit for bit, and every
 * error case has its status and body.
 */
class ServerApiTest {
    static final String MODEL = Path.of("..", "sentemb-core", "src", "test", "resources", "hf", "llama").toAbsolutePath().normalize().toString();
    static EmbeddingServer server;
    static int port;
    static Encoder library, libraryDemo;

    @BeforeAll
    static void start() {
        ServeConfig c = ServeConfig.defaults(List.of(ModelEntry.parse("tiny=" + MODEL), ModelEntry.parse("tiny-demo=" + MODEL + ",template=icl:smoking"),
                        ModelEntry.parse("tiny-echo=" + MODEL + ",strategy=echo"), ModelEntry.parse("tiny-tp=" + MODEL + ",strategy=tp")))
                .withPort(0).withCompute(2, 16384).withInputs(40, false, 8, 4096).withLimits(64, 64);
        server = EmbeddingServer.start(c, line -> {});
        port = server.port();
        library = Encoder.builder(MODEL).threads(2).normalize(true).build();
        libraryDemo = Encoder.builder(MODEL).threads(2).normalize(true).template(Templates.resolve("icl:smoking")).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        library.close();
        libraryDemo.close();
    }

    static final List<String> SENTENCES = List.of("A man is playing a guitar.", "A woman slices an onion.", "Someone is making music.");

    @Test
    void openAiEmbeddingsAreTheLibrarysVectors() {
        Http.Answer a = Http.post(port, "/v1/embeddings", "{\"input\": [\"A man is playing a guitar.\", \"A woman slices an onion.\", "
                + "\"Someone is making music.\"], \"model\": \"tiny\", \"user\": \"u1\"}");
        assertEquals(200, a.status(), a.body());
        JsonNode j = a.json();
        assertEquals("list", j.get("object").asText());
        assertEquals("tiny", j.get("model").asText());
        float[][] want = library.embed(SENTENCES);
        for (int i = 0; i < 3; i++) {
            JsonNode d = j.get("data").get(i);
            assertEquals("embedding", d.get("object").asText());
            assertEquals(i, d.get("index").asInt());
            assertArrayEquals(want[i], Http.floats(d.get("embedding")), "input " + i + " bit for bit");
        }
        int tokens = 0;
        for (String s : SENTENCES) {
            tokens += library.promptIds(s).length;
        }
        assertEquals(tokens, j.get("usage").get("prompt_tokens").asInt());
        assertEquals(tokens, j.get("usage").get("total_tokens").asInt());

        Http.Answer one = Http.post(port, "/v1/embeddings", "{\"input\": \"Someone is making music.\"}");
        assertArrayEquals(want[2], Http.floats(one.json().get("data").get(0).get("embedding")), "a single string, default model");
    }

    /** A named strategy per served model: echo's vectors are the library's with that strategy, and /info says how it pools. */
    @Test
    void aServedModelWithTheEchoStrategy() {
        Http.Answer a = Http.post(port, "/v1/embeddings", "{\"input\": [\"A man is playing a guitar.\", \"A woman slices an onion.\", "
                + "\"Someone is making music.\"], \"model\": \"tiny-echo\"}");
        assertEquals(200, a.status(), a.body());
        try (Encoder echo = Encoder.builder(MODEL).threads(2).normalize(true)
                .strategy(dev.sentemb.strategy.Strategies.require("echo").strategy()).build()) {
            float[][] want = echo.embed(SENTENCES);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(want[i], Http.floats(a.json().get("data").get(i).get("embedding")), "input " + i + " bit for bit");
            }
        }
        JsonNode info = Http.get(port, "/info?model=tiny-echo").json();
        assertEquals("mean", info.get("model_type").get("embedding").get("pooling").asText());
        assertTrue(info.get("strategy").asText().startsWith("Echo"), info.toString());
    }

    /**
     * Strategies of several passes a sentence are served too: MetaEOL's eight prompts submitted at once (on smollm2-135m:
     * its prompts are longer than the tiny checkpoint's context), Contrastive Prompting's second stage after its first;
     * a template file's ensemble ({@code templates=}); each bit for bit the library's, the prompt tokens of every prompt counted.
     */
    @Test
    void servedModelsWithSeveralPassesASentence() throws Exception {
        String smol = dev.sentemb.testing.TestModels.require("smollm2-135m").toString();
        java.nio.file.Path file = java.nio.file.Files.createTempFile("templates", ".txt");
        java.nio.file.Files.writeString(file, "eol\nicl:smoking\n");
        dev.sentemb.strategy.EmbeddingStrategy mean = dev.sentemb.strategy.EnsembleStrategy.ofTemplates("t",
                dev.sentemb.prompt.TemplateFile.resolve(file), dev.sentemb.strategy.Pooling.LAST, dev.sentemb.model.PassOptions.FINAL_LAYER);
        try (EmbeddingServer multi = EmbeddingServer.start(ServeConfig.defaults(List.of(ModelEntry.parse("meta=" + smol + ",strategy=metaeol"),
                        ModelEntry.parse("cp=" + smol + ",strategy=cp"), ModelEntry.parse("mean=" + smol + ",templates=" + file)))
                .withPort(0).withCompute(2, 16384), l -> {})) {
            for (String alias : new String[] {"meta", "cp", "mean"}) {
                Http.Answer a = Http.post(multi.port(), "/v1/embeddings", "{\"input\": [\"A man is playing a guitar.\", \"A woman slices an onion.\", "
                        + "\"Someone is making music.\"], \"model\": \"" + alias + "\"}");
                assertEquals(200, a.status(), a.body());
                try (Encoder lib = Encoder.builder(smol).threads(2).normalize(true)
                        .strategy(alias.equals("mean") ? mean : dev.sentemb.strategy.Strategies.require(alias.equals("meta") ? "metaeol" : "cp").strategy()).build()) {
                    float[][] want = lib.embed(SENTENCES);
                    for (int i = 0; i < 3; i++) {
                        assertArrayEquals(want[i], Http.floats(a.json().get("data").get(i).get("embedding")), alias + " input " + i + " bit for bit");
                    }
                    Encoder plain = lib.withStrategy(dev.sentemb.strategy.PromptEolStrategy.of(dev.sentemb.prompt.PromptTemplate.eol()));
                    long oneEach = SENTENCES.stream().mapToLong(s -> plain.promptIds(s).length).sum();
                    assertTrue(a.json().get("usage").get("prompt_tokens").asLong() > oneEach, alias + ": every prompt's tokens billed: " + a.body());
                }
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
        IllegalArgumentException both = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ModelEntry.parse("m=" + smol + ",templates=f.txt,strategy=echo"));
        assertTrue(both.getMessage().endsWith("templates= is an ensemble of its own; it takes pooling=, not strategy="), both.getMessage());
    }

    /** Token Prepending served: its hook and added token run in the server's engine as in the library, bit for bit. */
    @Test
    void aServedModelWithTokenPrepending() {
        Http.Answer a = Http.post(port, "/v1/embeddings", "{\"input\": [\"A man is playing a guitar.\", \"A woman slices an onion.\", "
                + "\"Someone is making music.\"], \"model\": \"tiny-tp\"}");
        assertEquals(200, a.status(), a.body());
        try (Encoder tp = Encoder.builder(MODEL).threads(2).normalize(true)
                .strategy(dev.sentemb.strategy.Strategies.require("tp").strategy()).build()) {
            float[][] want = tp.embed(SENTENCES);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(want[i], Http.floats(a.json().get("data").get(i).get("embedding")), "input " + i + " bit for bit");
            }
        }
        assertTrue(Http.get(port, "/info?model=tiny-tp").json().get("strategy").asText().startsWith("Token Prepending"));
    }

    @Test
    void base64DimensionsTokenIdsAndASecondModel() {
        float[] want = library.embed("A woman slices an onion.");
        Http.Answer b = Http.post(port, "/v1/embeddings", "{\"input\": \"A woman slices an onion.\", \"encoding_format\": \"base64\"}");
        byte[] raw = Base64.getDecoder().decode(b.json().get("data").get(0).get("embedding").asText());
        float[] got = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        assertArrayEquals(want, got, "base64 is the float32 values little-endian");

        Http.Answer d = Http.post(port, "/v1/embeddings", "{\"input\": \"A woman slices an onion.\", \"dimensions\": 16}");
        float[] shortV = Http.floats(d.json().get("data").get(0).get("embedding"));
        assertEquals(16, shortV.length);
        try (Encoder unnormalised = Encoder.builder(MODEL).threads(2).build()) {
            float[] full = unnormalised.embed("A woman slices an onion.");
            assertArrayEquals(Similarity.normalize(java.util.Arrays.copyOf(full, 16)), shortV, "truncated, then re-normalised");
        }

        int[] ids = library.tokenizer().encode("A woman slices an onion.", false);
        Http.Answer t = Http.post(port, "/v1/embeddings", "{\"input\": [" + json(ids) + ", " + json(ids) + "]}");
        assertEquals(200, t.status(), t.body());
        assertArrayEquals(want, Http.floats(t.json().get("data").get(1).get("embedding")), "token ids embed as their text");
        Http.Answer single = Http.post(port, "/v1/embeddings", "{\"input\": " + json(ids) + "}");
        assertEquals(1, single.json().get("data").size(), "one array of ids is one input");

        Http.Answer demo = Http.post(port, "/v1/embeddings", "{\"input\": \"A woman slices an onion.\", \"model\": \"tiny-demo\"}");
        assertArrayEquals(libraryDemo.embed("A woman slices an onion."), Http.floats(demo.json().get("data").get(0).get("embedding")),
                "the second alias runs its own template");

        JsonNode models = Http.get(port, "/v1/models").json();
        assertEquals("tiny", models.get("data").get(0).get("id").asText());
        assertEquals("tiny-demo", models.get("data").get(1).get("id").asText());
        assertEquals("model", models.get("data").get(1).get("object").asText());
        assertEquals(200, Http.get(port, "/v1/models/tiny-demo").status());
        assertEquals(404, Http.get(port, "/v1/models/absent").status());
    }

    @Test
    void openAiErrorsNameTheFieldAndIndex() {
        checkError(Http.post(port, "/v1/embeddings", "{\"input\": [\"ok\", 3]}"), 400, "input", "input[1]");
        checkError(Http.post(port, "/v1/embeddings", "{\"input\": []}"), 400, "input", "empty");
        checkError(Http.post(port, "/v1/embeddings", "{\"model\": \"tiny\"}"), 400, "input", "required");
        checkError(Http.post(port, "/v1/embeddings", "{\"input\": \"x\", \"model\": \"gpt-9\"}"), 404, "model", "gpt-9");
        checkError(Http.post(port, "/v1/embeddings", "{\"input\": \"x\", \"encoding_format\": \"hex\"}"), 400, "encoding_format", "hex");
        checkError(Http.post(port, "/v1/embeddings", "{\"input\": \"x\", \"dimensions\": 0}"), 400, "dimensions", "dimensions");
        checkError(Http.post(port, "/v1/embeddings", "{\"input\": [[1, 2], [5, -1]]}"), 400, "input", "input[1][1]");
        checkError(Http.post(port, "/v1/embeddings", "{\"input\": [[1, 99999]]}"), 400, "input", "outside the vocabulary");
        Http.Answer bad = Http.post(port, "/v1/embeddings", "{\"input\": ");
        assertEquals(400, bad.status());
        assertTrue(bad.json().get("error").get("message").asText().contains("not valid JSON"), bad.body());
        checkError(Http.post(port, "/v1/embeddings", "[1, 2]"), 400, null, "JSON object");
        String nine = "{\"input\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]}";
        checkError(Http.post(port, "/v1/embeddings", nine), 413, "input", "more than the limit of 8");
        String longInput = "{\"input\": \"" + "word ".repeat(60) + "\"}";
        checkError(Http.post(port, "/v1/embeddings", longInput), 413, "input", "more than the limit of 40");
        String huge = "{\"input\": \"" + "x".repeat(5000) + "\"}";
        checkError(Http.post(port, "/v1/embeddings", huge), 413, null, "limit of 4096");
    }

    @Test
    void teiRoutes() {
        Http.Answer e = Http.post(port, "/embed", "{\"inputs\": [\"A man is playing a guitar.\", \"Someone is making music.\"]}");
        assertEquals(200, e.status(), e.body());
        assertArrayEquals(library.embed("Someone is making music."), Http.floats(e.json().get(1)), "normalised by default");
        Http.Answer raw = Http.post(port, "/embed", "{\"inputs\": \"Someone is making music.\", \"normalize\": false}");
        try (Encoder plain = Encoder.builder(MODEL).threads(2).build()) {
            assertArrayEquals(plain.embed("Someone is making music."), Http.floats(raw.json().get(0)), "normalize: false is the raw state");
        }
        Http.Answer dims = Http.post(port, "/embed", "{\"inputs\": \"Someone is making music.\", \"dimensions\": 8}");
        assertEquals(8, dims.json().get(0).size());

        Http.Answer sim = Http.post(port, "/similarity", "{\"inputs\": {\"source_sentence\": \"A man is playing a guitar.\", "
                + "\"sentences\": [\"Someone is making music.\", \"A woman slices an onion.\"]}}");
        assertEquals(200, sim.status(), sim.body());
        float[][] v = library.embed(SENTENCES);
        assertEquals((float) Similarity.cosine(v[0], v[2]), (float) sim.json().get(0).asDouble(), 1e-6);
        assertEquals((float) Similarity.cosine(v[0], v[1]), (float) sim.json().get(1).asDouble(), 1e-6);

        Http.Answer tok = Http.post(port, "/tokenize", "{\"inputs\": [\"A woman slices an onion.\"]}");
        assertEquals(200, tok.status(), tok.body());
        JsonNode tokens = tok.json().get(0);
        int[] ids = library.promptIds("A woman slices an onion.");
        assertEquals(ids.length, tokens.size());
        for (int i = 0; i < ids.length; i++) {
            assertEquals(ids[i], tokens.get(i).get("id").asInt());
        }

        JsonNode info = Http.get(port, "/info").json();
        assertEquals("tiny", info.get("served_model_name").asText());
        assertEquals("last_token", info.get("model_type").get("embedding").get("pooling").asText());
        assertEquals(8, info.get("max_client_batch_size").asInt());
        assertEquals("tiny-demo", Http.get(port, "/info?model=tiny-demo").json().get("served_model_name").asText());
        assertEquals(200, Http.get(port, "/health").status());

        Http.Answer pn = Http.post(port, "/embed", "{\"inputs\": \"A woman slices an onion.\", \"prompt_name\": \"icl:smoking\"}");
        assertArrayEquals(libraryDemo.embed("A woman slices an onion."), Http.floats(pn.json().get(0)), "prompt_name picks a template");
    }

    @Test
    void teiErrors() {
        checkTei(Http.post(port, "/embed", "{\"inputs\": []}"), 400, "empty");
        checkTei(Http.post(port, "/embed", "{\"inputs\": [\"a\", {}]}"), 422, "validation");
        checkTei(Http.post(port, "/embed", "{\"inputs\": \"a\", \"normalize\": \"yes\"}"), 422, "validation");
        checkTei(Http.post(port, "/embed", "{\"inputs\": \"a\", \"prompt_name\": \"icl:nobody\"}"), 422, "validation");
        checkTei(Http.post(port, "/embed", "{\"inputs\": \"a\", \"truncation_direction\": \"up\"}"), 422, "validation");
        checkTei(Http.post(port, "/embed", "{\"inputs\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]}"), 413, "validation");
        checkTei(Http.post(port, "/similarity", "{\"inputs\": {\"source_sentence\": \"a\", \"sentences\": []}}"), 400, "empty");
        checkTei(Http.post(port, "/embed", "not json"), 400, "validation");
        String longInput = "word ".repeat(60);
        checkTei(Http.post(port, "/embed", "{\"inputs\": \"" + longInput + "\"}"), 413, "validation");
        Http.Answer cut = Http.post(port, "/embed", "{\"inputs\": \"" + longInput + "\", \"truncate\": true}");
        assertEquals(200, cut.status(), cut.body());
        Http.Answer left = Http.post(port, "/embed", "{\"inputs\": \"" + longInput + "end\", \"truncate\": true, \"truncation_direction\": \"left\"}");
        assertEquals(200, left.status(), left.body());
        String kept = library.tokenizer().decode(java.util.Arrays.copyOf(library.tokenizer().encode(longInput, false), 40));
        assertArrayEquals(library.embed(kept), Http.floats(cut.json().get(0)), "truncated to the first 40 tokens, as the library embeds that text");
    }

    @Test
    void aFullQueueIs429AtOnceAndOthersAreUnaffected() throws Exception {
        ServeConfig c = ServeConfig.defaults(List.of(ModelEntry.parse(MODEL))).withPort(0).withCompute(2, 16384).withLimits(64, 2);
        try (EmbeddingServer small = EmbeddingServer.start(c, line -> {})) {
            Http.Answer full = Http.post(small.port(), "/v1/embeddings", "{\"input\": [\"a\", \"b\", \"c\"]}");
            assertEquals(429, full.status(), full.body());
            assertNotNull(full.header("Retry-After"));
            assertEquals("rate_limit_exceeded", full.json().get("error").get("code").asText());
            assertEquals(200, Http.post(small.port(), "/v1/embeddings", "{\"input\": [\"a\", \"b\"]}").status(), "it recovers");
        }
        // many concurrent requests, good and bad mixed: each gets its own answer
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Http.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String body = i % 4 == 3 ? "{\"input\": [\"ok\", null]}" : "{\"input\": \"" + SENTENCES.get(i % 3) + "\"}";
            answers.add(pool.submit(() -> Http.post(port, "/v1/embeddings", body)));
        }
        float[][] want = library.embed(SENTENCES);
        for (int i = 0; i < 40; i++) {
            Http.Answer a = answers.get(i).get();
            if (i % 4 == 3) {
                assertEquals(400, a.status(), a.body());
            } else {
                assertEquals(200, a.status(), a.body());
                assertArrayEquals(want[i % 3], Http.floats(a.json().get("data").get(0).get("embedding")));
            }
        }
        pool.close();
        String metrics = Http.get(port, "/metrics").body();
        assertTrue(metrics.contains("sentemb_requests_total{route=\"/v1/embeddings\",status=\"200\"}"), metrics);
        assertTrue(metrics.contains("sentemb_batch_size_bucket"), metrics);
        assertTrue(metrics.contains("sentemb_queue_depth"), metrics);
    }

    @Test
    void apiKeyAndCors() {
        ServeConfig c = ServeConfig.defaults(List.of(ModelEntry.parse(MODEL))).withPort(0).withCompute(2, 16384)
                .withAccess("s3cret", "https://app.example");
        try (EmbeddingServer secured = EmbeddingServer.start(c, line -> {})) {
            Http.Answer no = Http.post(secured.port(), "/v1/embeddings", "{\"input\": \"a\"}");
            assertEquals(401, no.status());
            assertEquals("invalid_api_key", no.json().get("error").get("code").asText());
            assertEquals(401, Http.post(secured.port(), "/embed", "{\"inputs\": \"a\"}", "Authorization", "Bearer wrong").status());
            Http.Answer yes = Http.post(secured.port(), "/v1/embeddings", "{\"input\": \"a\"}", "Authorization", "Bearer s3cret");
            assertEquals(200, yes.status(), yes.body());
            assertEquals("https://app.example", yes.header("Access-Control-Allow-Origin"));
        }
    }

    private static void checkError(Http.Answer a, int status, String param, String text) {
        assertEquals(status, a.status(), a.body());
        JsonNode err = a.json().get("error");
        assertNotNull(err, a.body());
        assertTrue(err.get("message").asText().contains(text), a.body());
        assertEquals(param == null ? "null" : param, err.get("param").isNull() ? "null" : err.get("param").asText(), a.body());
        assertTrue(err.has("type") && err.has("code"), a.body());
    }

    private static void checkTei(Http.Answer a, int status, String type) {
        assertEquals(status, a.status(), a.body());
        assertEquals(type, a.json().get("error_type").asText(), a.body());
        assertTrue(!a.json().get("error").asText().isEmpty());
    }

    private static String json(int[] ids) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < ids.length; i++) {
            b.append(i > 0 ? "," : "").append(ids[i]);
        }
        return b.append("]").toString();
    }
}
