package dev.sentemb.engine;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One caller's inputs in an {@link EmbeddingEngine}: a future per input (completed in whatever order the
 * scheduler computes them), the order in which they completed, and {@link #cancel}. Thread-safe.
 */
public final class Submission {
    private final long id;
    private final EmbeddingEngine engine;
    private final List<EngineInput> inputs;
    private final List<CompletableFuture<float[]>> futures;
    /** Inputs not yet handed to a pass, in the caller's order; guarded by the engine's lock. */
    final ArrayDeque<Integer> pending;
    private final int[] completionOrder;
    private int completed; // guarded by this
    private final boolean[] settled; // guarded by this

    Submission(long id, EmbeddingEngine engine, List<EngineInput> inputs) {
        this.id = id;
        this.engine = engine;
        this.inputs = List.copyOf(inputs);
        @SuppressWarnings("unchecked")
        CompletableFuture<float[]>[] f = new CompletableFuture[inputs.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = new CompletableFuture<>();
        }
        this.futures = List.of(f);
        this.pending = new ArrayDeque<>(inputs.size());
        for (int i = 0; i < f.length; i++) {
            pending.add(i);
        }
        this.completionOrder = new int[f.length];
        this.settled = new boolean[f.length];
    }

    /** The engine-wide id of this submission (as {@link PassRecord} names it). */
    public long id() {
        return id;
    }

    public int size() {
        return inputs.size();
    }

    EngineInput input(int index) {
        return inputs.get(index);
    }

    /**
     * The future of input {@code index}: its vector, or an exception naming what went wrong with that
     * input alone ({@link CancellationException} after {@link #cancel}).
     */
    public CompletableFuture<float[]> future(int index) {
        return futures.get(index);
    }

    /** Removes this caller's inputs that no pass has taken yet; their futures end cancelled. Inputs in a running pass finish. */
    public void cancel() {
        engine.cancel(this);
    }

    /** Whether every input has an outcome. */
    public synchronized boolean isDone() {
        return completed == futures.size();
    }

    /** Inputs with an outcome so far. */
    public synchronized int completed() {
        return completed;
    }

    /** The index of the {@code k}th input to complete (k &lt; {@link #completed()}). */
    public synchronized int completedAt(int k) {
        if (k >= completed) {
            throw new IndexOutOfBoundsException("only " + completed + " inputs have completed, asked for the " + k + "th");
        }
        return completionOrder[k];
    }

    /** Waits until more than {@code seen} inputs have completed (or all have), and returns how many have. */
    public synchronized int awaitMoreThan(int seen) throws InterruptedException {
        while (completed <= seen && completed < futures.size()) {
            wait();
        }
        return completed;
    }

    void succeed(int index, float[] vector) {
        if (settle(index)) {
            futures.get(index).complete(vector);
        }
    }

    void fail(int index, Throwable error) {
        if (settle(index)) {
            futures.get(index).completeExceptionally(error);
        }
    }

    /**
     * Counts the outcome before the future completes, so that whoever sees the future done also sees
     * {@link #isDone}; false when the input already had one. Waiters are woken by {@link #signal}, once per
     * pass rather than once per input: a waiter woken fifty times a pass competes with the pass's threads for
     * the cores.
     */
    private synchronized boolean settle(int index) {
        if (settled[index]) {
            return false;
        }
        settled[index] = true;
        completionOrder[completed++] = index;
        return true;
    }

    /** Wakes the callers waiting on this submission (after a pass, a cancellation or a close). */
    synchronized void signal() {
        notifyAll();
    }
}
