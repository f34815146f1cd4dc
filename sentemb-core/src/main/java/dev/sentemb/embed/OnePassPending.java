package dev.sentemb.embed;

import dev.sentemb.engine.Submission;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A one-pass strategy's sentences in one engine submission. */
final class OnePassPending implements PendingEmbeddings {
    private final Prepared prepared;
    private final Submission submission; // null when nothing reached the engine

    OnePassPending(Prepared prepared, Submission submission) {
        this.prepared = prepared;
        this.submission = submission;
    }

    @Override
    public long submissionId() {
        return submission == null ? -1 : submission.id();
    }

    @Override
    public int size() {
        return prepared.results().length;
    }

    @Override
    public int promptTokens(int i) {
        return prepared.promptTokens()[i];
    }

    @Override
    public boolean isDone() {
        return submission == null || submission.isDone();
    }

    @Override
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

    @Override
    public List<EmbedResult> await() throws InterruptedException {
        int inputs = prepared.inputs().size();
        float[][] vectors = new float[inputs][];
        String[] errors = new String[inputs];
        for (int k = 0; k < inputs; k++) {
            try {
                vectors[k] = submission.future(k).get();
            } catch (CancellationException e) {
                errors[k] = "cancelled";
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                errors[k] = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            }
        }
        return prepared.results(vectors, errors);
    }

    @Override
    public void cancel() {
        if (submission != null) {
            submission.cancel();
        }
    }
}
