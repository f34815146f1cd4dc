package dev.sentemb.embed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A staged strategy's sentences (Contrastive Prompting): the auxiliary stage is submitted at once; the steered stage
 * is submitted, for the sentences whose auxiliary pass succeeded, by the first thread that waits once the first
 * stage is done (waiting for room in the queue: the first stage fitted, so the second will). Cancelling stops both.
 */
final class StagedPending implements PendingEmbeddings {
    private final PendingEmbeddings first;
    private final Encoder steered;
    private final List<String> sentences;
    private final Object lock = new Object();
    private boolean cancelled; // guarded by lock
    private PendingEmbeddings second; // guarded by lock; null until submitted
    private EmbedResult[] failedFirst; // guarded by lock: the first stage's failures, by sentence
    private int[] at; // guarded by lock: sentence of each second-stage input

    StagedPending(PendingEmbeddings first, Encoder steered, List<String> sentences) {
        this.first = first;
        this.steered = steered;
        this.sentences = List.copyOf(sentences);
    }

    @Override
    public long submissionId() {
        return first.submissionId();
    }

    @Override
    public int size() {
        return sentences.size();
    }

    @Override
    public int promptTokens(int i) {
        synchronized (lock) {
            int own = 0;
            if (second != null) {
                int k = Arrays.binarySearch(at, i);
                own = k >= 0 ? second.promptTokens(k) : 0;
            }
            return first.promptTokens(i) + own;
        }
    }

    @Override
    public boolean isDone() {
        synchronized (lock) {
            return first.isDone() && (cancelled || (second != null && second.isDone()));
        }
    }

    @Override
    public boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!first.awaitDone(timeout, unit)) {
            return false;
        }
        PendingEmbeddings s = startSecond();
        return s == null || s.awaitDone(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public List<EmbedResult> await() throws InterruptedException {
        first.await();
        PendingEmbeddings s = startSecond();
        synchronized (lock) {
            if (s == null) { // cancelled before the second stage: every sentence the first stage did not fail is cancelled
                EmbedResult[] out = failedFirst == null ? new EmbedResult[size()] : failedFirst.clone();
                for (int i = 0; i < out.length; i++) {
                    if (out[i] == null) {
                        out[i] = EmbedResult.failed("cancelled");
                    }
                }
                return Arrays.asList(out);
            }
        }
        List<EmbedResult> got = s.await();
        EmbedResult[] out = failedFirst.clone();
        for (int k = 0; k < got.size(); k++) {
            out[at[k]] = got.get(k);
        }
        return Arrays.asList(out);
    }

    /** Submits the second stage once (the first must be done); null when cancelled first. */
    private PendingEmbeddings startSecond() throws InterruptedException {
        List<EmbedResult> one = first.await();
        synchronized (lock) {
            if (second != null || cancelled) {
                if (failedFirst == null) {
                    failedFirst = failures(one);
                }
                return second;
            }
            failedFirst = failures(one);
            List<String> next = new ArrayList<>();
            List<float[]> sides = new ArrayList<>();
            List<Integer> where = new ArrayList<>();
            for (int i = 0; i < one.size(); i++) {
                if (one.get(i).isOk()) {
                    next.add(sentences.get(i));
                    sides.add(one.get(i).vector());
                    where.add(i);
                }
            }
            at = where.stream().mapToInt(Integer::intValue).toArray();
            second = steered.submitWaiting(next, sides);
            return second;
        }
    }

    private static EmbedResult[] failures(List<EmbedResult> one) {
        EmbedResult[] out = new EmbedResult[one.size()];
        for (int i = 0; i < out.length; i++) {
            if (!one.get(i).isOk()) {
                out[i] = EmbedResult.failed("the auxiliary prompt: " + one.get(i).error());
            }
        }
        return out;
    }

    @Override
    public void cancel() {
        synchronized (lock) {
            cancelled = true;
            if (second != null) {
                second.cancel();
            }
        }
        first.cancel();
    }
}
