package dev.sentemb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server's packed-weight budget reaches its models: after a run of single-sentence requests (small passes) a
 * model with a budget has packed weights, one with none has not, and both answer the same vectors.
 */
class ServePackedWeightsTest {
    @Test
    void theBudgetIsEachModelsAndZeroNeverPacks() {
        ServeConfig base = ServeConfig.defaults(List.of(ModelEntry.parse("tiny=" + ServerApiTest.MODEL))).withPort(0).withCompute(2, 16384);
        String[] answers = new String[2];
        long[] packed = new long[2];
        long[] budgets = {40L << 20, 0};
        for (int k = 0; k < 2; k++) {
            try (EmbeddingServer server = EmbeddingServer.start(base.withPackedWeights(budgets[k]), line -> {})) {
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < 12; i++) {
                    Http.Answer a = Http.post(server.port(), "/embed", "{\"inputs\": \"Sentence number " + i + " of twelve.\"}");
                    assertEquals(200, a.status(), a.body());
                    all.append(a.body());
                }
                answers[k] = all.toString();
                packed[k] = server.encoder("tiny").packedWeightBytes();
            }
        }
        assertTrue(packed[0] > 0, "a 40 MB budget packs after small passes: " + packed[0]);
        assertEquals(0, packed[1], "a zero budget never packs");
        assertEquals(answers[0], answers[1], "packed or streamed, the same vectors");
    }
}
