package dev.sentemb.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.DimensionAwareEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.sentemb.SentembException;
import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.embed.PendingEmbeddings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * sentemb as a LangChain4j {@code EmbeddingModel}, in the application's JVM (no server): where an app has
 * {@code new AllMiniLmL6V2EmbeddingModel()}, {@code SentembEmbeddingModel.load("smollm2-135m")} gives
 * PromptEOL embeddings of a decoder LLM instead. {@link #embedAll} submits all its segments to the
 * model's engine in one call (they share forward passes with every other caller of that model), so the
 * vectors are bit for bit the library's.
 *
 * <p>Resources: {@link #load} builds an encoder this object owns ({@link #close} releases it);
 * {@link #SentembEmbeddingModel(Encoder, String)} borrows the application's encoder and never closes it.
 */
public final class SentembEmbeddingModel extends DimensionAwareEmbeddingModel implements AutoCloseable {
    private final Encoder encoder;
    private final String modelName;
    private final boolean owned;

    /** Borrows {@code encoder} (the application keeps it and closes it). */
    public SentembEmbeddingModel(Encoder encoder, String modelName) {
        this(encoder, modelName, false);
    }

    private SentembEmbeddingModel(Encoder encoder, String modelName, boolean owned) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.owned = owned;
        this.dimension = encoder.dimension();
    }

    /**
     * A model by registry name (fetched on first use), GGUF path, Hugging Face directory or cached id,
     * with the plain PromptEOL template, unit-length vectors, and text over the model's context cut to fit
     * (as LangChain4j's local models do with long segments) rather than refused.
     */
    public static SentembEmbeddingModel load(String model) {
        return from(Encoder.builder(model).normalize(true).truncate(true), model);
    }

    /** A model from a builder of the caller's (template, pooling, adapter, pool, ...); this object owns the encoder. */
    public static SentembEmbeddingModel from(Encoder.Builder builder, String modelName) {
        return new SentembEmbeddingModel(builder.build(), modelName, true);
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<String> texts = new ArrayList<>(segments.size());
        for (TextSegment s : segments) {
            texts.add(s.text());
        }
        PendingEmbeddings pending = encoder.submit(texts);
        List<EmbedResult> results;
        try {
            results = pending.await();
        } catch (InterruptedException e) {
            pending.cancel();
            Thread.currentThread().interrupt();
            throw new SentembException("interrupted while embedding " + texts.size() + " segments", e);
        }
        List<Embedding> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            EmbedResult r = results.get(i);
            if (!r.isOk()) {
                // LangChain4j's contract is one embedding per segment, so a segment that cannot be embedded fails the call, by index
                throw new SentembException("segment " + i + " cannot be embedded: " + r.error());
            }
            out.add(Embedding.from(r.vector()));
        }
        long tokens = pending.totalPromptTokens();
        return Response.from(out, new TokenUsage((int) Math.min(Integer.MAX_VALUE, tokens)));
    }

    @Override
    protected Integer knownDimension() {
        return encoder.dimension();
    }

    @Override
    public String modelName() {
        return modelName;
    }

    /** The encoder underneath (for its stats, engine or options). */
    public Encoder encoder() {
        return encoder;
    }

    @Override
    public void close() {
        if (owned) {
            encoder.close();
        }
    }
}
