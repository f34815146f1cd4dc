package dev.sentemb.embed;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sentences submitted to an encoder's engine and not yet awaited ({@link Encoder#submit}): a server request
 * waits on it, and cancels it when its client is gone. Results are what {@link Encoder#embedEach} gives. A
 * strategy of several prompts a sentence submits all of them at once; a staged one submits its second stage
 * when the first is done, from the thread that waits.
 */
public sealed interface PendingEmbeddings permits OnePassPending, AveragedPending, StagedPending {
    /** The engine's id of the (first) submission (what {@link dev.sentemb.engine.PassRecord}s name), or -1 when nothing reached it. */
    long submissionId();

    /** How many sentences were submitted. */
    int size();

    /**
     * The prompt tokens of sentence i (templates included, every prompt of the strategy counted; 0 for a sentence
     * that failed before tokenizing; a second stage's once it has been submitted).
     */
    int promptTokens(int i);

    /** The sum of {@link #promptTokens}, repeats counted each time (what an API bills as prompt tokens). */
    default long totalPromptTokens() {
        long sum = 0;
        for (int i = 0; i < size(); i++) {
            sum += promptTokens(i);
        }
        return sum;
    }

    /** Whether every sentence is finished (computed, failed or cancelled). */
    boolean isDone();

    /** Waits at most {@code timeout} for all sentences; false if some are still pending. */
    boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException;

    /** Waits for every sentence and returns each one's result in input order; failures are per sentence. */
    List<EmbedResult> await() throws InterruptedException;

    /** Drops every sentence not yet computed from the engine's queue (their results become cancellations). */
    void cancel();
}
