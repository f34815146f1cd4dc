package dev.sentemb.embed;

import dev.sentemb.engine.Submission;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sentences submitted to an encoder's engine and not yet awaited ({@link Encoder#submit}): a server request
 * waits on it, and cancels it when its client is gone. Results are what {@link Encoder#embedEach} gives.
 */
public final class PendingEmbeddings {
    private final Prepared prepared;
    private final Submission submission; // null when nothing reached the engine

    PendingEmbeddings(Prepared prepared, Submission submission) {
        this.prepared = prepared;
        this.submission = submission;
    }

    /** The engine's id of the submission (what {@link dev.sentemb.engine.PassRecord}s name), or -1 when nothing reached it. */
    public long submissionId() {
        return submission == null ? -1 : submission.id();
    }

    /** How many sentences were submitted. */
    public int size() {
        return prepared.results().length;
    }

    /** The prompt token count of sentence i (template included; 0 for a sentence that failed before tokenizing). */
    public int promptTokens(int i) {
        return prepared.promptTokens()[i];
    }

    /** The sum of {@link #promptTokens}, repeats counted each time (what an API bills as prompt tokens). */
    public long totalPromptTokens() {
        long sum = 0;
        for (int t : prepared.promptTokens()) {
            sum += t;
        }
        return sum;
    }

    /** Whether every sentence is finished (computed, failed or cancelled). */
    public boolean isDone() {
        return submission == null || submission.isDone();
    }

    /** Waits at most {@code timeout} for all sentences; false if some are still pending. */
    public boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
        if (submission == null) {
            return true;
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (int k = 0; k < submission.size(); k++) {
            long left = deadline - System.nanoTime();
            try {
                submission.future(k).get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException | CancellationException e) {
                // finished: failed or cancelled
            }
        }
        return true;
    }

    /** Waits for every sentence and returns each one's result in input order; failures are per sentence. */
    public List<EmbedResult> await() throws InterruptedException {
        int inputs = prepared.inputs().size();
        float[][] vectors = new float[inputs][];
        String[] errors = new String[inputs];
        for (int k = 0; k < inputs; k++) {
            try {
                vectors[k] = submission.future(k).get();
            } catch (ExecutionException | CancellationException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                errors[k] = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            }
        }
        return prepared.results(vectors, errors);
    }

    /** Drops every sentence not yet computed from the engine's queue (their results become cancellations). */
    public void cancel() {
        if (submission != null) {
            submission.cancel();
        }
    }
}
