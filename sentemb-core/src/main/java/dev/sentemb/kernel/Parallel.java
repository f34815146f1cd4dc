package dev.sentemb.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p>The caller always works too and waits for <em>items</em>, not for helper tasks: if the workers are
 * busy with another caller's loop, this caller simply does all the items itself. That keeps concurrent
 * callers deadlock-free and keeps the per-loop overhead at one queue hand-off per worker.
 */
public final class Parallel implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static volatile Parallel common;

    private final int threads;
    private final String name;
    private final ExecutorService workers;

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
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, daemonFactory(name));
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
        if (workers == null || items == 1) {
            S state = scratch.get();
            for (int i = 0; i < items; i++) {
                body.accept(state, i);
            }
            return;
        }
        Loop<S> loop = new Loop<>(items, scratch, body);
        int helpers = Math.min(threads - 1, items - 1);
        for (int h = 0; h < helpers; h++) {
            workers.execute(loop::work);
        }
        loop.work();
        loop.await();
    }

    @Override
    public void close() {
        if (!shared && workers != null) {
            workers.shutdown();
        }
    }

    private static ThreadFactory daemonFactory(String pool) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, pool + "-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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
