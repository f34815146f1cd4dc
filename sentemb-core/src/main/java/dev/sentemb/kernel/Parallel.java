package dev.sentemb.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed pool that runs the items of one parallel loop across {@code threads} threads: the caller
 * plus {@code threads - 1} daemon workers. Items are claimed dynamically from a shared counter, so
 * uneven items (attention over long and short sequences) balance themselves.
 *
 * <p>The caller always works too and waits for <em>items</em>, not for helper tasks: if the workers are
 * busy with another caller's loop, this caller simply does all the items itself. That keeps concurrent
 * callers deadlock-free and keeps the per-loop overhead at one queue hand-off per worker.
 */
public final class Parallel implements AutoCloseable {
    private final int threads;
    private final ExecutorService workers;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, daemonFactory());
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body.accept(i)} for every i in [0, items), spread over the pool; rethrows the first failure. */
    public void forEach(int items, IntConsumer body) {
        if (items <= 0) {
            return;
        }
        if (workers == null || items == 1) {
            for (int i = 0; i < items; i++) {
                body.accept(i);
            }
            return;
        }
        Loop loop = new Loop(items, body);
        int helpers = Math.min(threads - 1, items - 1);
        for (int h = 0; h < helpers; h++) {
            workers.execute(loop::work);
        }
        loop.work();
        loop.await();
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdown();
        }
    }

    private static ThreadFactory daemonFactory() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "sentemb-kernel-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One parallel loop: a claim counter, a completion latch over items, the first error. */
    private static final class Loop {
        private final int items;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private final AtomicReference<Throwable> error = new AtomicReference<>();

        Loop(int items, IntConsumer body) {
            this.items = items;
            this.body = body;
            this.done = new CountDownLatch(items);
        }

        void work() {
            for (int i; (i = next.getAndIncrement()) < items; ) {
                try {
                    if (error.get() == null) {
                        body.accept(i);
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
