package dev.sentemb.server;

import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.embed.PendingEmbeddings;
import dev.sentemb.engine.EngineFullException;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every embedding route does between parsing and answering: token ids to text, the input-token limit
 * (refused, or truncated when asked), one submission of all the request's inputs to the model's engine
 * (which batches them with every other request's), and the wait. A full queue is refused at once; a wait
 * whose client closed its connection, or an interrupted one (the server stopping), cancels what is still queued.
 */
final class EmbeddingService {
    /** How often a waiting request looks at its connection. */
    static final long WATCH_MILLIS = 50;
    private final ServerMetrics metrics;

    EmbeddingService(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    /** The request's vectors (unnormalised, full length) and its prompt tokens. */
    record Result(List<float[]> vectors, long promptTokens) {}

    /**
     * @param truncate  cut inputs over the model's limit instead of refusing them
     * @param fromLeft  cut from the start (keep the end) rather than from the end
     * @param field     the request's input field, for error messages
     * @param client    the request's connection: if it closes while the request waits, what is still queued is dropped
     */
    Result embed(ServedModel model, List<Inputs.Input> inputs, boolean truncate, boolean fromLeft, String promptName, String field,
                 ClientConnections.Watch client) {
        Encoder encoder = model.encoder(promptName);
        List<String> texts = texts(model, inputs, truncate, fromLeft, field);
        PendingEmbeddings pending;
        long submitted = System.nanoTime();
        try {
            pending = encoder.submit(texts);
        } catch (EngineFullException full) {
            throw ApiException.overloaded("the model's queue is full (" + full.queued() + " of " + full.capacity()
                    + " inputs waiting); retry shortly");
        }
        List<EmbedResult> results;
        try {
            while (!pending.awaitDone(WATCH_MILLIS, TimeUnit.MILLISECONDS)) {
                if (client.closed()) {
                    pending.cancel();
                    metrics.forget(pending);
                    throw new ClientGoneException(pending.size());
                }
            }
            results = pending.await();
        } catch (InterruptedException e) {
            pending.cancel();
            metrics.forget(pending);
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("the server is stopping");
        }
        metrics.requestTimed(pending, submitted);
        List<float[]> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            EmbedResult r = results.get(i);
            if (!r.isOk()) {
                if (r.error().contains("more than the limit")) {
                    throw ApiException.tooLarge(field + "[" + i + "]: " + r.error(), field);
                }
                throw ApiException.backend(field + "[" + i + "]: " + r.error());
            }
            out.add(r.vector());
        }
        return new Result(out, pending.totalPromptTokens());
    }

    /** Each input as text within the model's input-token limit. */
    List<String> texts(ServedModel model, List<Inputs.Input> inputs, boolean truncate, boolean fromLeft, String field) {
        Tokenizer tok = model.tokenizer();
        List<String> texts = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Inputs.Input in = inputs.get(i);
            int[] ids = in.ids();
            String text = in.text();
            if (ids != null) {
                for (int j = 0; j < ids.length; j++) {
                    if (ids[j] >= tok.vocabSize()) {
                        throw ApiException.invalid(field + "[" + i + "][" + j + "]: token id " + ids[j] + " is outside the vocabulary (0.."
                                + (tok.vocabSize() - 1) + ")", field);
                    }
                }
            } else {
                ids = tok.encode(text, false);
            }
            if (ids.length > model.maxInputTokens) {
                if (!truncate) {
                    throw ApiException.tooLarge(field + "[" + i + "] has " + ids.length + " tokens, more than the limit of "
                            + model.maxInputTokens + " (ask for truncation, or start the server with --auto-truncate)", field);
                }
                ids = fromLeft ? Arrays.copyOfRange(ids, ids.length - model.maxInputTokens, ids.length) : Arrays.copyOf(ids, model.maxInputTokens);
                text = tok.decode(ids);
            } else if (text == null) {
                text = tok.decode(ids);
            }
            texts.add(text);
        }
        return texts;
    }
}
