package dev.sentemb.langchain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.sentemb.embed.Encoder;
import dev.sentemb.engine.EmbeddingEngine;
import dev.sentemb.testing.TestModels;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The LangChain4j adapter on the real default model, with LangChain4j's own in-memory store. */
class SentembEmbeddingModelTest {
    private static SentembEmbeddingModel model;

    @BeforeAll
    static void load() {
        model = SentembEmbeddingModel.load(TestModels.require("smollm2-135m").toString());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void embedAllIsOneEngineCallWithTheLibrarysVectors() {
        List<TextSegment> segs = List.of(TextSegment.from("A man plays a guitar."), TextSegment.from("A woman slices an onion."),
                TextSegment.from("Kids are playing football."), TextSegment.from("The stock market fell sharply."));
        EmbeddingEngine.Stats before = model.encoder().engine().stats();
        Response<List<Embedding>> r = model.embedAll(segs);
        EmbeddingEngine.Stats after = model.encoder().engine().stats();
        assertEquals(4, r.content().size());
        assertEquals(1, after.passes() - before.passes(), "four short segments share one forward pass");
        assertEquals(4, after.inputs() - before.inputs());
        assertTrue(r.tokenUsage().inputTokenCount() > 4 * 10, "prompt tokens are counted: " + r.tokenUsage());
        assertEquals(576, model.dimension());
        assertEquals(576, r.content().get(0).dimension());
        float[] lib = model.encoder().embed("A woman slices an onion.");
        assertArrayEquals(lib, r.content().get(1).vector(), "the library's vector, bit for bit");
        double norm = 0;
        for (float x : lib) {
            norm += x * x;
        }
        assertEquals(1.0, Math.sqrt(norm), 1e-5);
    }

    @Test
    void searchesLangChain4jsInMemoryStoreOnRealSentences() {
        EmbeddingModel m = model; // what an app holds: the interface, swapped in one line
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        List<TextSegment> docs = List.of(TextSegment.from("A man is playing a guitar on stage."), TextSegment.from("A chef is chopping vegetables in a kitchen."),
                TextSegment.from("Children are kicking a ball in the park."), TextSegment.from("Share prices dropped on Wall Street today."),
                TextSegment.from("A cat is sleeping on the sofa."));
        store.addAll(m.embedAll(docs).content(), docs);
        String[][] queries = {{"Someone is making music.", docs.get(0).text()}, {"A cook cuts up some carrots.", docs.get(1).text()},
            {"The stock market fell.", docs.get(3).text()}, {"A kitten naps on the couch.", docs.get(4).text()}};
        for (String[] q : queries) {
            List<EmbeddingMatch<TextSegment>> hits = store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(m.embed(q[0]).content()).maxResults(2).build()).matches();
            assertEquals(q[1], hits.get(0).embedded().text(), q[0] + " -> " + hits);
            assertTrue(hits.get(0).score() > hits.get(1).score());
        }
    }

    @Test
    void aBorrowedEncoderIsLeftOpenAndLongTextIsCut() {
        try (Encoder enc = Encoder.builder(TestModels.require("smollm2-135m").toString()).maxPromptTokens(24).truncate(true).build()) {
            SentembEmbeddingModel borrowed = new SentembEmbeddingModel(enc, "smollm2-135m");
            Embedding e = borrowed.embed("A man is playing a guitar on the stage while the crowd sings along. ".repeat(5)).content();
            assertEquals(576, e.dimension());
            borrowed.close();
            assertEquals(576, enc.embed("Still open.").length, "closing the adapter leaves the application's encoder open");
            assertEquals("smollm2-135m", borrowed.modelName());
        }
    }
}
