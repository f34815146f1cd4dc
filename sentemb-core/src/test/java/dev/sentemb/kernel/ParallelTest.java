package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyItemRunsExactlyOnceEvenWithConcurrentCallers() throws Exception {
        try (Parallel p = new Parallel(3); ExecutorService callers = Executors.newFixedThreadPool(4)) {
            List<Future<AtomicIntegerArray>> fs = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                fs.add(callers.submit(() -> {
                    AtomicIntegerArray hits = new AtomicIntegerArray(1000);
                    for (int rep = 0; rep < 20; rep++) {
                        p.forEach(1000, hits::incrementAndGet);
                    }
                    return hits;
                }));
            }
            for (Future<AtomicIntegerArray> f : fs) {
                AtomicIntegerArray hits = f.get();
                for (int i = 0; i < 1000; i++) {
                    assertEquals(20, hits.get(i), "item " + i);
                }
            }
        }
    }

    @Test
    void closingThePoolEndsItsWorkersWhetherSpinningOrParked() throws Exception {
        Parallel p = new Parallel(3);
        AtomicIntegerArray hits = new AtomicIntegerArray(64);
        p.forEach(64, hits::incrementAndGet); // the workers have run a loop and now spin, then park
        List<Thread> workers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(p.name() + "-worker-")).toList();
        assertEquals(2, workers.size(), "two workers beside the caller");
        Thread.sleep(5); // past the spin: parked
        p.close();
        for (Thread t : workers) {
            t.join(2000);
            assertEquals(Thread.State.TERMINATED, t.getState(), t.getName());
        }
        for (int i = 0; i < 64; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void failureInAnItemReachesTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        try (Parallel p = new Parallel(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.forEach(50, i -> {
                if (i == 17) throw boom;
            }));
            assertSame(boom, e);
        }
    }
}
