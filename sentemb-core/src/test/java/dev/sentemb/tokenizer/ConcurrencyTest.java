package dev.sentemb.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many threads encoding at once (sharing the lossy piece cache, which they keep evicting from one
 * another) must give exactly the single-threaded ids.
 */
class ConcurrencyTest {

    @Test
    void threadsAgreeWithOneThread() throws Exception {
        Tokenizer tok = Fixtures.model("qwen2.5-coder-0.5b");
        List<Fixtures.Case> cases = Fixtures.read("qwen2.5-coder-0.5b");
        List<Fixtures.Case> sample = new ArrayList<>();
        for (int i = 0; i < cases.size(); i += 4) {
            sample.add(cases.get(i));
        }
        int threads = 8;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<int[][]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 97;
                results.add(pool.submit(() -> {
                    int[][] out = new int[sample.size()][];
                    for (int k = 0; k < sample.size(); k++) {
                        int i = (k + offset) % sample.size();
                        out[i] = tok.encode(sample.get(i).text());
                    }
                    return out;
                }));
            }
            for (Future<int[][]> f : results) {
                int[][] got = f.get();
                for (int i = 0; i < sample.size(); i++) {
                    assertArrayEquals(sample.get(i).ids(), got[i], sample.get(i).text());
                }
            }
        }
    }
}
