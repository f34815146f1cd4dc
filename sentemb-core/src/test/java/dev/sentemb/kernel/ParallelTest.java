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
