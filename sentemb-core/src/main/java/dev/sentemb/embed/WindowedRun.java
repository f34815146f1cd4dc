package dev.sentemb.embed;

import dev.sentemb.SentembException;
import dev.sentemb.engine.EmbeddingEngine;
import dev.sentemb.engine.EngineFullException;
import dev.sentemb.engine.EngineInput;
import dev.sentemb.engine.Submission;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.IntConsumer;
import java.util.function.IntUnaryOperator;

/** How an encoder call waits on the engine: its inputs in windows, progress reported on the caller's thread. */
final class WindowedRun {
    private WindowedRun() {}

    /**
     * Submits the inputs to the engine (in windows of at most a quarter of its queue, waiting while other
     * callers fill it) and waits for all of them, reporting progress on this thread.
     */
    static void run(EmbeddingEngine engine, List<EngineInput> inputs, float[][] vectors, String[] errors, IntUnaryOperator weightOf,
                    int finishedBefore, IntConsumer done) {
        int window = Math.max(1, engine.options().maxQueued() / 4);
        int finished = finishedBefore;
        for (int from = 0; from < inputs.size(); from += window) {
            int to = Math.min(inputs.size(), from + window);
            Submission sub = submitWaiting(engine, inputs.subList(from, to));
            int seen = 0;
            try {
                while (seen < sub.size()) {
                    int now = sub.awaitMoreThan(seen);
                    for (int k = seen; k < now; k++) {
                        finished += weightOf.applyAsInt(from + sub.completedAt(k));
                    }
                    seen = now;
                    if (done != null) {
                        done.accept(finished);
                    }
                }
            } catch (InterruptedException e) {
                sub.cancel();
                Thread.currentThread().interrupt();
                throw new SentembException("interrupted while embedding; the pending sentences were cancelled");
            }
            for (int k = 0; k < sub.size(); k++) {
                try {
                    vectors[from + k] = sub.future(k).join();
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    errors[from + k] = cause.getMessage() != null ? cause.getMessage() : cause.toString();
                }
            }
        }
    }

    /** Submits the inputs, waiting while the queue has no room for all of them. */
    static Submission submitWaiting(EmbeddingEngine engine, List<EngineInput> inputs) {
        while (true) {
            try {
                return engine.submit(inputs);
            } catch (EngineFullException full) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SentembException("interrupted while waiting for room in the engine's queue");
                }
            }
        }
    }
}
