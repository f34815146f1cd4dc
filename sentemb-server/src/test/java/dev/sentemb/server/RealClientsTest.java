package dev.sentemb.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.sentemb.embed.Encoder;
import dev.sentemb.testing.TestModels;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real default model (smollm2-135m, as {@code sentemb serve} starts with no argument) behind the server,
 * called by the official OpenAI Java client and by LangChain4j's OpenAI embedding model pointed at its base
 * URL: both get the library's vectors.
 */
class RealClientsTest {
    static final String MODEL = "smollm2-135m";
    static EmbeddingServer server;
    static Encoder library;

    @BeforeAll
    static void start() {
        TestModels.require(MODEL); // in the model cache (fetched on first use)
        server = EmbeddingServer.start(ServeConfig.defaults(List.of(ModelEntry.parse(MODEL))).withPort(0).withCompute(2, 16384), l -> {});
        library = Encoder.builder(MODEL).threads(2).normalize(true).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        library.close();
    }

    static final List<String> TEXTS = List.of("A man is playing a guitar.", "Someone is making music.", "A woman slices an onion.");

    @Test
    void officialOpenAiJavaClient() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey("unused").build();
        float[][] want = library.embed(TEXTS);
        for (EmbeddingCreateParams.EncodingFormat format : List.of(EmbeddingCreateParams.EncodingFormat.FLOAT,
                EmbeddingCreateParams.EncodingFormat.BASE64)) {
            CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model(MODEL)
                    .inputOfArrayOfStrings(TEXTS).encodingFormat(format).build());
            assertEquals(3, r.data().size());
            for (int i = 0; i < 3; i++) {
                List<Float> got = r.data().get(i).embedding();
                float[] v = new float[got.size()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = got.get(j);
                }
                assertArrayEquals(want[i], v, format + " input " + i);
            }
            assertEquals(MODEL, r.model());
            assertEquals(true, r.usage().promptTokens() > 0);
        }
        client.close();
    }

    /** Stopping drains: a request in flight is answered whole, a new one meanwhile gets 503, then the server is gone. */
    @Test
    void drainAnswersWhatIsInFlight() throws Exception {
        try (EmbeddingServer s = EmbeddingServer.start(ServeConfig.defaults(List.of(ModelEntry.parse(MODEL))).withPort(0).withCompute(2, 256),
                l -> {})) {
            StringBuilder body = new StringBuilder("{\"input\": [");
            for (int i = 0; i < 96; i++) {
                body.append(i > 0 ? "," : "").append("\"sentence number ").append(i).append(" about a man and his guitar\"");
            }
            String big = body.append("]}").toString();
            var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
            var inFlight = pool.submit(() -> Http.post(s.port(), "/v1/embeddings", big));
            while (s.inflightRequests() == 0) {
                Thread.sleep(5);
            }
            var stopping = pool.submit(() -> s.drainAndStop(java.time.Duration.ofSeconds(120)));
            while (!s.draining()) {
                Thread.sleep(1);
            }
            assertEquals(503, Http.get(s.port(), "/health").status(), "draining: not healthy");
            assertEquals(503, Http.post(s.port(), "/v1/embeddings", "{\"input\": \"late\"}").status(), "no new work while draining");
            Http.Answer a = inFlight.get();
            assertEquals(200, a.status(), a.body());
            assertEquals(96, a.json().get("data").size());
            stopping.get();
            pool.close();
        }
    }

    @Test
    void langChain4jOpenAiEmbeddingModel() {
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey("unused")
                .modelName(MODEL).build();
        float[][] want = library.embed(TEXTS);
        var all = model.embedAll(TEXTS.stream().map(TextSegment::from).toList()).content();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(want[i], all.get(i).vector(), "input " + i);
        }
        assertEquals(library.dimension(), model.dimension());
    }
}
