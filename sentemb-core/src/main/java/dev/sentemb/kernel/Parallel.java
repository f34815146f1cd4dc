package dev.sentemb.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

/**
 * A fixed pool that runs the items of one parallel loop across {@code threads} threads: the caller
 * plus {@code threads - 1} daemon workers. Items are claimed dynamically from a shared counter, so
 * uneven items (attention over long and short sequences) balance themselves.
 *
 * <p>This is the compute pool an application owns: one per JVM by default ({@link #common()}, sized to
 * the cores), passed to every model it loads, so two models in one process share the cores instead of
 * each starting threads of its own. Closing a model never closes the pool.
 *
 * <p>The caller always works too and waits for <em>items</em>, not for helper tasks: a worker busy with
 * another caller's loop is simply not asked, and this caller does the items itself. That keeps concurrent
 * callers deadlock-free.
 *
 * <p>A forward pass is a few hundred short loops. A worker that has finished one spins for a while
 * ({@link #SPIN_NANOS}, {@code -Dsentemb.pool.spinMicros}, default 200 µs) before it parks, and a caller
 * waiting for a worker's last item spins as long before it blocks. Parking and waking a thread for every
 * loop showed on small passes: eight concurrent one-sentence callers of smollm2-135m (~105-token passes, 2
 * cores, {@code -XX:UseAVX=2}) reached 0.81 of one large call's rate without the spin and 0.88 with it.
 * After {@link #close} a worker may still take a loop while it winds down, or hold it unrun once ended;
 * either way the caller claims whatever items are left, as when the worker is busy.
 */
public final class Parallel implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static volatile Parallel common;

    /** How long an idle worker, or a caller waiting for a worker's last item, spins before it parks. */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(spinMicros());

    private final int threads;
    private final String name;
    private final Worker[] workers;
    private volatile boolean closed;

    /**
     * The JVM's default pool, sized to the available cores, created on first use; its workers are
     * daemon threads, and closing it is refused (an application that wants to stop threads makes its own).
     */
    public static Parallel common() {
        Parallel p = common;
        if (p == null) {
            synchronized (Parallel.class) {
                p = common;
                if (p == null) {
                    p = new Parallel(Runtime.getRuntime().availableProcessors(), true);
                    common = p;
                }
            }
        }
        return p;
    }

    private final boolean shared;

    /** A pool of {@code threads} threads: the caller of each loop plus {@code threads - 1} daemon workers. */
    public Parallel(int threads) {
        this(threads, false);
    }

    private Parallel(int threads, boolean shared) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.shared = shared;
        this.name = "sentemb-pool-" + POOLS.incrementAndGet();
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(this, name + "-worker-" + (i + 1));
            workers[i].start();
        }
    }

    private static long spinMicros() {
        String v = System.getProperty("sentemb.pool.spinMicros");
        if (v == null) {
            return 200;
        }
        try {
            return Math.max(0, Math.min(1_000_000, Long.parseLong(v.trim())));
        } catch (NumberFormatException e) {
            return 200; // a measurement knob: a bad value falls back to the default
        }
    }

    public int threads() {
        return threads;
    }

    /** The prefix of this pool's worker thread names ({@code sentemb-pool-N-worker-M}). */
    public String name() {
        return name;
    }

    /** Runs {@code body.accept(i)} for every i in [0, items), spread over the pool; rethrows the first failure. */
    public void forEach(int items, IntConsumer body) {
        forEach(items, () -> null, (state, i) -> body.accept(i));
    }

    /**
     * Like {@link #forEach(int, IntConsumer)}, with per-thread scratch: each thread that takes part
     * in this loop calls {@code scratch} once, before its first item, and passes the result to every
     * item it runs. Scratch lives only as long as the loop, so idle callers hold no memory.
     */
    public <S> void forEach(int items, Supplier<S> scratch, ObjIntConsumer<S> body) {
        if (items <= 0) {
            return;
        }
        if (workers.length == 0 || items == 1) {
            S state = scratch.get();
            for (int i = 0; i < items; i++) {
                body.accept(state, i);
            }
            return;
        }
        Loop<S> loop = new Loop<>(items, scratch, body);
        int helpers = Math.min(workers.length, items - 1);
        for (int w = 0; w < workers.length && helpers > 0; w++) {
            if (workers[w].offer(loop)) {
                helpers--;
            }
        }
        loop.work();
        loop.await();
    }

    @Override
    public void close() {
        if (!shared && !closed) {
            closed = true;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
        }
    }

    /**
     * A daemon thread that runs the loops offered to it: its slot is null while it is free; a caller claims
     * it by setting the slot, and unparks it if it had stopped spinning.
     */
    private static final class Worker extends Thread {
        private final Parallel pool;
        private final AtomicReference<Loop<?>> slot = new AtomicReference<>();
        private volatile boolean parked;

        Worker(Parallel pool, String name) {
            super(name);
            this.pool = pool;
            setDaemon(true);
        }

        /** Hands {@code loop} to this worker unless it is busy with another; true when taken. */
        boolean offer(Loop<?> loop) {
            if (!slot.compareAndSet(null, loop)) {
                return false;
            }
            if (parked) { // the worker reads the slot after announcing that it parks: one of us sees the other
                LockSupport.unpark(this);
            }
            return true;
        }

        @Override
        public void run() {
            while (true) {
                Loop<?> loop = next();
                if (loop == null) {
                    return;
                }
                try {
                    loop.work();
                } finally {
                    slot.set(null);
                }
            }
        }

        /** The next loop offered, spinning first, then parked; null once the pool is closed. */
        private Loop<?> next() {
            long start = System.nanoTime();
            Loop<?> loop;
            while ((loop = slot.get()) == null) {
                if (pool.closed) {
                    return null;
                }
                if (System.nanoTime() - start > SPIN_NANOS) {
                    parked = true;
                    try {
                        while ((loop = slot.get()) == null && !pool.closed) {
                            LockSupport.park(this);
                        }
                    } finally {
                        parked = false;
                    }
                    return loop;
                }
                Thread.onSpinWait();
            }
            return loop;
        }
    }

    /** One parallel loop: a claim counter, a completion latch over items, the first error. */
    private static final class Loop<S> {
        private final int items;
        private final Supplier<S> scratch;
        private final ObjIntConsumer<S> body;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private final AtomicReference<Throwable> error = new AtomicReference<>();

        Loop(int items, Supplier<S> scratch, ObjIntConsumer<S> body) {
            this.items = items;
            this.scratch = scratch;
            this.body = body;
            this.done = new CountDownLatch(items);
        }

        void work() {
            S state = null;
            boolean ready = false;
            for (int i; (i = next.getAndIncrement()) < items; ) {
                try {
                    if (error.get() == null) {
                        if (!ready) {
                            state = scratch.get();
                            ready = true;
                        }
                        body.accept(state, i);
                    }
                } catch (Throwable t) {
                    error.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }
        }

        void await() {
            long start = System.nanoTime();
            while (done.getCount() > 0 && System.nanoTime() - start <= SPIN_NANOS) {
                Thread.onSpinWait();
            }
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable t = error.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }
}
