package dev.sentemb.engine;

import dev.sentemb.SentembException;
import dev.sentemb.model.CachedPrefix;
import dev.sentemb.model.PackedHidden;
import dev.sentemb.model.PassOptions;
import dev.sentemb.model.PromptStates;
import dev.sentemb.model.TransformerModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The one path from prepared inputs to vectors, shared by every caller of a loaded model (the library's
 * Encoder, the evaluation, a server, a Spark executor). Callers {@link #submit} inputs and get futures;
 * one scheduling thread packs inputs of all pending callers that share a prefix and pass options into
 * forward passes of at most {@code batchTokens} computed tokens, runs them on the model's kernels (the
 * application's pool), and completes the futures.
 *
 * <p>Scheduling: submissions take turns. Each pass is led by the submission whose turn it is (its oldest
 * pending input fixes the prefix and pass options), then filled one input per submission per round, in
 * turn order, with inputs that can share the pass; the leader then goes to the back. A caller with
 * 100,000 inputs therefore cannot starve one with a single input: that input is in one of the next two
 * passes. The queue is bounded: a submission that does not fit is refused at once, whole
 * ({@link EngineFullException}). Cancelled inputs leave the queue before any pass takes them.
 *
 * <p>Results never depend on what shares a pass (sequences are packed without padding and every kernel
 * is row-independent), so the schedule changes speed only. When a pass fails, its inputs are retried one
 * by one, so one bad input fails alone; a vector with NaN or infinite values is a failure, never a result.
 */
public final class EmbeddingEngine implements AutoCloseable {
    private static final AtomicInteger ENGINES = new AtomicInteger();

    private final String source;
    private final TransformerModel model;
    private final Options options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    /** Submissions with pending inputs, in turn order; guarded by lock. */
    private final ArrayDeque<Submission> turns = new ArrayDeque<>();
    private final List<Consumer<PassRecord>> listeners = new CopyOnWriteArrayList<>();
    private final Thread loop;
    private int queuedInputs;   // guarded by lock
    private long queuedTokens;  // guarded by lock
    private long nextSubmission; // guarded by lock
    private boolean closed;     // guarded by lock
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong inputsComputed = new AtomicLong();
    private final AtomicLong tokensComputed = new AtomicLong();

    /**
     * Scheduler settings.
     *
     * @param batchTokens   computed tokens per forward pass (a single longer input gets a pass of its own)
     * @param maxQueued     inputs waiting at most, over all callers
     * @param coalesceMicros after a pass, how long the scheduler waits for its callers to come back with more
     *                      before it starts a pass smaller than the budget (0: never waits)
     */
    public record Options(int batchTokens, int maxQueued, int coalesceMicros) {
        public static final Options DEFAULT = new Options(1024, 1 << 18, 2000);

        public Options {
            if (batchTokens < 1 || maxQueued < 1 || coalesceMicros < 0) {
                throw new SentembException("engine options need batchTokens >= 1, maxQueued >= 1, coalesceMicros >= 0; got "
                        + batchTokens + ", " + maxQueued + ", " + coalesceMicros);
            }
        }

        public Options withBatchTokens(int n) {
            return new Options(n, maxQueued, coalesceMicros);
        }

        public Options withMaxQueued(int n) {
            return new Options(batchTokens, n, coalesceMicros);
        }
    }

    /** An engine over a loaded model, which it borrows (closing the engine leaves the model open). */
    public EmbeddingEngine(TransformerModel model, Options options) {
        this(model, options, null);
    }

    /** @param source the model's file or directory, named when a vector comes out non-finite (null: not named) */
    public EmbeddingEngine(TransformerModel model, Options options, String source) {
        this.source = source;
        this.model = model;
        this.options = options;
        this.loop = new Thread(this::schedule, "sentemb-engine-" + ENGINES.incrementAndGet());
        loop.setDaemon(true);
        loop.start();
    }

    public TransformerModel model() {
        return model;
    }

    public Options options() {
        return options;
    }

    /** Calls {@code listener} on the scheduling thread before every pass (it delays the pass while it runs). */
    public void addListener(Consumer<PassRecord> listener) {
        listeners.add(listener);
    }

    /**
     * Queues all of {@code inputs} as one caller's work, or none of them.
     *
     * @throws EngineFullException when the queue cannot take them all now
     * @throws SentembException    when the engine is closed
     */
    public Submission submit(List<EngineInput> inputs) {
        lock.lock();
        try {
            if (closed) {
                throw new SentembException("the embedding engine is closed");
            }
            if (inputs.size() > options.maxQueued() - queuedInputs) {
                throw new EngineFullException(inputs.size(), queuedInputs, options.maxQueued());
            }
            Submission s = new Submission(nextSubmission++, this, inputs);
            if (!inputs.isEmpty()) {
                for (EngineInput in : inputs) {
                    queuedTokens += in.computedTokens();
                }
                queuedInputs += inputs.size();
                turns.addLast(s);
                work.signal();
            }
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** Inputs waiting for a pass, over all callers. */
    public int queued() {
        lock.lock();
        try {
            return queuedInputs;
        } finally {
            lock.unlock();
        }
    }

    /** Work done since the engine started. */
    public Stats stats() {
        return new Stats(passes.get(), inputsComputed.get(), tokensComputed.get());
    }

    /** See {@link #stats()}: forward passes, inputs and tokens computed. */
    public record Stats(long passes, long inputs, long tokens) {}

    void cancel(Submission s) {
        drain(s, new CancellationException("cancelled before it was computed"));
    }

    /** Stops the scheduler after the pass in progress; inputs still queued fail. The model stays open. */
    @Override
    public void close() {
        if (!shutDown(new SentembException("the embedding engine was closed before this input was computed"))) {
            return;
        }
        if (Thread.currentThread() != loop) {
            loop.interrupt();
            try {
                loop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Refuses new work and fails every queued input with {@code error}; false when already closed. */
    private boolean shutDown(RuntimeException error) {
        List<Submission> left;
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            left = new ArrayList<>(turns);
            work.signalAll();
        } finally {
            lock.unlock();
        }
        for (Submission s : left) {
            drain(s, error);
        }
        return true;
    }

    /** Takes the submission's pending inputs off the queue and fails them with {@code error}. */
    private void drain(Submission s, RuntimeException error) {
        List<Integer> dropped = new ArrayList<>();
        lock.lock();
        try {
            while (!s.pending.isEmpty()) {
                int i = s.pending.pollFirst();
                queuedInputs--;
                queuedTokens -= s.input(i).computedTokens();
                dropped.add(i);
            }
            turns.remove(s);
        } finally {
            lock.unlock();
        }
        for (int i : dropped) {
            s.fail(i, error);
        }
        s.signal();
    }

    /** One input taken into a pass. */
    private record Taken(Submission submission, int index) {
        EngineInput input() {
            return submission.input(index);
        }
    }

    private void schedule() {
        int lastCallers = 0;
        while (true) {
            List<Taken> pass;
            try {
                pass = nextPass(lastCallers);
            } catch (InterruptedException e) {
                if (isClosed()) {
                    return;
                }
                continue;
            } catch (RuntimeException | Error e) {
                // a fault of the scheduler itself: fail what waits rather than leave callers blocked forever
                shutDown(new SentembException("the embedding engine's scheduler failed: " + e, e));
                return;
            }
            if (pass == null) {
                return;
            }
            List<Submission> callers = pass.stream().map(Taken::submission).distinct().toList();
            lastCallers = callers.size();
            run(pass, callers);
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for work and takes the next pass off the queues (null when closed). After a pass that served
     * {@code lastCallers} callers, it waits up to the coalescing time for them to return before starting
     * a pass smaller than the budget, so callers that submit one input at a time still share passes.
     */
    private List<Taken> nextPass(int lastCallers) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                while (!closed && turns.isEmpty()) {
                    work.await();
                }
                if (closed) {
                    return null;
                }
                long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(options.coalesceMicros());
                while (!closed && queuedTokens < options.batchTokens() && turns.size() < lastCallers) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    work.awaitNanos(left);
                }
                if (closed) {
                    return null;
                }
                if (!turns.isEmpty()) { // a cancellation may have emptied the queue while it waited
                    return take();
                }
                lastCallers = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Fills one pass in turn order (lock held); the leading submission goes to the back. */
    private List<Taken> take() {
        Submission leader = turns.peekFirst();
        EngineInput key = leader.input(leader.pending.peekFirst());
        List<Taken> pass = new ArrayList<>();
        int tokens = 0;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Submission s : turns) {
                Integer i = s.pending.peekFirst();
                if (i == null || !s.input(i).sharesPassWith(key)) {
                    continue;
                }
                int t = s.input(i).computedTokens();
                if (!pass.isEmpty() && tokens + t > options.batchTokens()) {
                    continue;
                }
                s.pending.pollFirst();
                pass.add(new Taken(s, i));
                tokens += t;
                progress = true;
            }
        }
        queuedInputs -= pass.size();
        queuedTokens -= tokens;
        turns.pollFirst();
        if (!leader.pending.isEmpty()) {
            turns.addLast(leader);
        }
        for (Iterator<Submission> it = turns.iterator(); it.hasNext(); ) {
            if (it.next().pending.isEmpty()) {
                it.remove();
            }
        }
        return pass;
    }

    /** Runs one pass, completes its inputs, then wakes their callers (the pass's distinct submissions) once. */
    private void run(List<Taken> pass, List<Submission> callers) {
        try {
            runPass(pass);
        } finally {
            callers.forEach(Submission::signal);
        }
    }

    /** Runs one pass and completes its inputs; a failed pass is retried input by input. */
    private void runPass(List<Taken> pass) {
        if (!listeners.isEmpty()) {
            long[] subs = new long[pass.size()];
            int[] idx = new int[pass.size()];
            int tokens = 0;
            for (int i = 0; i < pass.size(); i++) {
                subs[i] = pass.get(i).submission().id();
                idx[i] = pass.get(i).index();
                tokens += pass.get(i).input().computedTokens();
            }
            PassRecord record = new PassRecord(passes.get(), subs, idx, tokens, pass.get(0).input().pass().resolve(model.config().layers()));
            for (Consumer<PassRecord> l : listeners) {
                try {
                    l.accept(record);
                } catch (RuntimeException e) {
                    // a listener's failure is its own; the pass goes on
                }
            }
        }
        try {
            compute(pass);
        } catch (Throwable t) {
            if (pass.size() == 1) {
                pass.get(0).submission().fail(pass.get(0).index(), describe(t));
            } else {
                for (Taken one : pass) {
                    try {
                        compute(List.of(one));
                    } catch (Throwable single) {
                        one.submission().fail(one.index(), describe(single));
                    }
                }
            }
        }
    }

    private void compute(List<Taken> pass) {
        EngineInput first = pass.get(0).input();
        CachedPrefix prefix = first.prefix();
        PassOptions options = first.pass();
        int skip = prefix == null ? 0 : prefix.length();
        List<int[]> sequences = new ArrayList<>(pass.size());
        float[][] sides = new float[pass.size()][];
        int tokens = 0;
        for (Taken t : pass) {
            int[] ids = t.input().tokens();
            sides[sequences.size()] = t.input().side();
            sequences.add(skip == 0 ? ids : java.util.Arrays.copyOfRange(ids, skip, ids.length));
            tokens += ids.length - skip;
        }
        PackedHidden h = model.forward(sequences, prefix, options, sides);
        passes.incrementAndGet();
        inputsComputed.addAndGet(pass.size());
        tokensComputed.addAndGet(tokens);
        for (int s = 0; s < pass.size(); s++) {
            Taken t = pass.get(s);
            try {
                float[] v = t.input().readout().apply(new PromptStates(h, s, prefix));
                requireFinite(v, source);
                t.submission().succeed(t.index(), v);
            } catch (RuntimeException e) {
                t.submission().fail(t.index(), describe(e));
            }
        }
    }

    private static void requireFinite(float[] v, String source) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new SentembException("the embedding has a non-finite value (" + v[i] + ") at index " + i + "; "
                        + (source == null ? "the model's weights" : "the weights of " + source) + " or the activations overflowed");
            }
        }
    }

    private static RuntimeException describe(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        return new SentembException("the forward pass failed: " + t, t);
    }
}
