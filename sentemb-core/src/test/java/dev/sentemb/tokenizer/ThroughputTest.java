package dev.sentemb.tokenizer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Encoding speed on one thread over the STS-B/SICK prompts. The target is 20k short sentences/s
 * on one core; the assertion leaves room for a loaded CI machine but still catches a real
 * regression (an uncached or quadratic path is far slower).
 */
class ThroughputTest {

    @Test
    void encodesPromptsFast() {
        Tokenizer tok = Fixtures.model("smollm2-135m");
        List<String> texts = Fixtures.read("smollm2-135m").stream().map(Fixtures.Case::text).toList();
        long sink = 0;
        long cold = System.nanoTime();
        for (String t : texts) {
            sink += tok.encode(t).length;
        }
        System.out.printf("tokenizer first pass (cold JIT, piece cache filling): %.0f prompts/s%n",
                texts.size() / ((System.nanoTime() - cold) / 1e9));
        for (String t : texts) {
            sink += tok.encode(t).length;
        }
        long t0 = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - t0 < 1_000_000_000L) {
            for (String t : texts) {
                sink += tok.encode(t).length;
            }
            n += texts.size();
        }
        double perSecond = n / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("tokenizer throughput: %.0f prompts/s on one thread (%d tokens seen)%n", perSecond, sink);
        assertTrue(perSecond > 10_000, "only " + (long) perSecond + " prompts/s");
    }
}
