package dev.sentemb.eval.run;

import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The cached, resumable embedding of SentEval tasks with one encoder: a task's sentences that an earlier
 * run finished come from the resume cache, the others are embedded in chunks, and each chunk is
 * appended to the cache (with the seconds it took) as soon as it is done, so an interrupted evaluation
 * loses at most one chunk. Used by {@code eval} (every task) and by anything else that scores a model.
 */
public final class TaskEmbedder {
    /** Sentences per chunk: what an interruption can lose, and how often the cache is written. */
    static final int CHUNK = 256;

    private final Encoder encoder;
    private final EmbeddingCache cache;
    private final EmbeddingCache.Contents done;
    private final Progress progress;

    /** Shows how a task's embedding advances; {@link #NONE} shows nothing. */
    public interface Progress {
        Progress NONE = (task, total) -> null;

        /** A sink for the count of the task's sentences done so far (from its cached ones on), or null; closed at the end. */
        Bar begin(String task, int total);

        /** A progress display: counts reported in order, then closed. */
        interface Bar extends LongConsumer, AutoCloseable {
            @Override
            void close();
        }
    }

    /**
     * @param cache the resume cache, or null to neither read nor write one
     */
    public TaskEmbedder(Encoder encoder, EmbeddingCache cache, Progress progress) {
        this.encoder = encoder;
        this.cache = cache;
        this.done = cache == null ? EmbeddingCache.Contents.none() : cache.load();
        this.progress = progress == null ? Progress.NONE : progress;
    }

    /** Embeddings the cache held when this run began. */
    public int resumable() {
        return done.size();
    }

    /** How many of {@code run}'s distinct sentences the cache does not hold (what embedding them all would compute). */
    public int missing(EvalRun run) {
        return (int) run.sentencesByTask().values().stream().flatMap(List::stream).filter(s -> !done.has(s)).count();
    }

    /** What this run took from the cache instead of embedding again (null when nothing). */
    public ResumedWork resumed() {
        return done.resumed();
    }

    /**
     * The embedding of every sentence of {@code task}, keyed by sentence.
     *
     * @throws IllegalStateException naming the first sentence that cannot be embedded
     */
    public Map<String, float[]> embed(String task, List<String> sentences) {
        Map<String, float[]> out = new HashMap<>();
        List<String> todo = new ArrayList<>();
        for (String s : sentences) {
            float[] v = done.take(s);
            if (v != null) {
                out.put(s, v);
            } else {
                todo.add(s);
            }
        }
        Progress.Bar bar = progress.begin(task, sentences.size());
        try {
            if (bar != null) {
                bar.accept(out.size());
            }
            for (int at = 0; at < todo.size(); at += CHUNK) {
                List<String> part = todo.subList(at, Math.min(todo.size(), at + CHUNK));
                long base = out.size();
                long c0 = System.nanoTime();
                List<EmbedResult> rs = encoder.embedEach(part, bar == null ? null : d -> bar.accept(base + d));
                Map<String, float[]> fresh = new LinkedHashMap<>();
                for (int i = 0; i < part.size(); i++) {
                    if (!rs.get(i).isOk()) {
                        throw new IllegalStateException("cannot embed '" + part.get(i) + "': " + rs.get(i).error());
                    }
                    fresh.put(part.get(i), rs.get(i).vector());
                }
                if (cache != null) {
                    cache.append(fresh, (System.nanoTime() - c0) / 1e9);
                }
                out.putAll(fresh);
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        return out;
    }
}
