package dev.sentemb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.embed.Encoder;
import dev.sentemb.model.PassOptions;
import dev.sentemb.model.PromptStates;
import dev.sentemb.testing.TestModels;
import dev.sentemb.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine's scheduler on the real default model: exactness under concurrency, bounds, cancellation, fairness. */
class EmbeddingEngineTest {
    private static final Function<PromptStates, float[]> LAST = PromptStates::last;
    private static Encoder enc;
    private static List<String> stsb;

    @BeforeAll
    static void load() throws Exception {
        enc = Encoder.builder(TestModels.require("smollm2-135m").toString()).template("icl:smoking").build();
        List<String> lines = Files.readAllLines(TestModels.shared().resolve("data/senteval/STS/STSBenchmark/sts-test.csv"));
        stsb = lines.stream().map(l -> l.split("\t")[5]).distinct().limit(160).toList();
    }

    @AfterAll
    static void close() {
        enc.close();
    }

    @Test
    void sixteenConcurrentCallersGetBitwiseTheVectorsOfOneCaller() throws Exception {
        float[][] alone = enc.embed(stsb);
        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<float[][]>> parts = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int me = c;
                parts.add(pool.submit(() -> {
                    // caller c takes sentences c, c+16, c+32, ...: interleaved with every other caller's
                    List<String> mine = new ArrayList<>();
                    for (int i = me; i < stsb.size(); i += callers) {
                        mine.add(stsb.get(i));
                    }
                    // half the callers send one sentence a call, the others all theirs at once
                    if (me % 2 == 0) {
                        float[][] out = new float[mine.size()][];
                        for (int i = 0; i < mine.size(); i++) {
                            out[i] = enc.embed(mine.get(i));
                        }
                        return out;
                    }
                    return enc.embed(mine);
                }));
            }
            for (int c = 0; c < callers; c++) {
                float[][] got = parts.get(c).get(5, TimeUnit.MINUTES);
                for (int k = 0; k < got.length; k++) {
                    int i = c + k * callers;
                    assertArrayEquals(alone[i], got[k], "caller " + c + ", sentence " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A fresh engine on the encoder's model whose scheduler can be held inside its next pass. */
    private static final class Held implements AutoCloseable {
        final EmbeddingEngine engine;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<PassRecord> passes = new CopyOnWriteArrayList<>();

        Held(EmbeddingEngine.Options options) {
            engine = new EmbeddingEngine(enc.engine().model(), options);
            engine.addListener(r -> {
                passes.add(r);
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        /** Submits one input, waits until the scheduler is inside that pass and holds it there. */
        void holdInFirstPass() throws InterruptedException {
            engine.submit(inputs(List.of("The first pass.")));
            assertTrue(entered.await(1, TimeUnit.MINUTES));
        }

        @Override
        public void close() {
            release.countDown();
            engine.close();
        }
    }

    private static List<EngineInput> inputs(List<String> sentences) {
        Tokenizer tok = enc.tokenizer();
        return sentences.stream().map(s -> new EngineInput(tok.encode(enc.prompt(s)), null, PassOptions.FINAL, LAST)).toList();
    }

    @Test
    void aFullQueueRefusesAtOnceAndQueuesNothing() throws Exception {
        try (Held h = new Held(EmbeddingEngine.Options.DEFAULT.withMaxQueued(10))) {
            h.holdInFirstPass();
            Submission fits = h.engine.submit(inputs(stsb.subList(0, 8)));
            long t0 = System.nanoTime();
            EngineFullException e = assertThrows(EngineFullException.class, () -> h.engine.submit(inputs(stsb.subList(8, 13))));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "refused at once, not after waiting");
            assertEquals(8, e.queued());
            assertEquals(10, e.capacity());
            assertEquals(8, h.engine.queued(), "nothing of the refused submission was queued");
            h.engine.submit(inputs(stsb.subList(8, 10))); // what fits is still taken
            h.release.countDown();
            for (int i = 0; i < fits.size(); i++) {
                assertEquals(576, fits.future(i).get(1, TimeUnit.MINUTES).length);
            }
        }
    }

    @Test
    void aCancelledCallersInputsAreNotComputed() throws Exception {
        try (Held h = new Held(EmbeddingEngine.Options.DEFAULT)) {
            h.holdInFirstPass();
            Submission kept = h.engine.submit(inputs(stsb.subList(0, 20)));
            Submission cancelled = h.engine.submit(inputs(stsb.subList(20, 60)));
            cancelled.cancel();
            assertEquals(20, h.engine.queued());
            h.release.countDown();
            for (int i = 0; i < kept.size(); i++) {
                kept.future(i).get(1, TimeUnit.MINUTES);
            }
            for (int i = 0; i < cancelled.size(); i++) {
                int at = i;
                assertThrows(CancellationException.class, () -> cancelled.future(at).join());
            }
            assertTrue(cancelled.isDone());
            for (PassRecord r : h.passes) {
                assertFalse(r.includes(cancelled.id()), "pass " + r.number() + " computed a cancelled input");
            }
            long computed = h.passes.stream().mapToLong(r -> r.submissions().length).sum();
            assertEquals(21, computed, "the held input and the 20 kept ones, nothing else");
            assertEquals(21, h.engine.stats().inputs());
        }
    }

    @Test
    void aFloodFromOneCallerDoesNotDelayAnothersSingleSentence() throws Exception {
        List<String> flood = new ArrayList<>();
        for (int r = 0; flood.size() < 1200; r++) {
            for (String s : stsb) {
                flood.add(s + " (" + r + ")");
            }
        }
        try (Held h = new Held(EmbeddingEngine.Options.DEFAULT.withBatchTokens(256))) {
            h.holdInFirstPass();
            Submission big = h.engine.submit(inputs(flood));
            Submission single = h.engine.submit(inputs(List.of("A man is playing a flute.")));
            h.release.countDown();
            single.future(0).get(1, TimeUnit.MINUTES);
            int passOfSingle = -1;
            for (int i = 0; i < h.passes.size(); i++) {
                if (h.passes.get(i).includes(single.id())) {
                    passOfSingle = i;
                }
            }
            // pass 0 is the held one; the flood leads pass 1, the single sentence is in it or in pass 2
            assertTrue(passOfSingle >= 1 && passOfSingle <= 2, "the single sentence ran in pass " + passOfSingle);
            assertFalse(big.isDone(), "the flood was still being computed");
            big.cancel();
        }
    }

    @Test
    void aFailingReadoutFailsOnlyItsOwnInputAndNanIsNeverAResult() throws Exception {
        List<EngineInput> in = new ArrayList<>(inputs(stsb.subList(0, 3)));
        in.set(1, new EngineInput(in.get(1).tokens(), null, PassOptions.FINAL, s -> {
            float[] v = s.last();
            v[7] = Float.NaN;
            return v;
        }));
        Submission sub = enc.engine().submit(in);
        assertEquals(576, sub.future(0).get(1, TimeUnit.MINUTES).length);
        assertEquals(576, sub.future(2).get(1, TimeUnit.MINUTES).length);
        CompletionException e = assertThrows(CompletionException.class, () -> sub.future(1).join());
        assertTrue(e.getCause().getMessage().contains("non-finite value (NaN) at index 7"), e.getCause().getMessage());
    }

    @Test
    void anInputTheModelRejectsFailsAloneInItsPass() throws Exception {
        List<EngineInput> in = new ArrayList<>(inputs(stsb.subList(0, 4)));
        in.set(2, new EngineInput(new int[] {1, 2, enc.config().vocabSize() + 5}, null, PassOptions.FINAL, LAST));
        Submission sub = enc.engine().submit(in);
        float[] ok = sub.future(3).get(1, TimeUnit.MINUTES);
        assertArrayEquals(enc.embed(stsb.get(3)), ok, "its pass-mates computed as usual");
        CompletionException e = assertThrows(CompletionException.class, () -> sub.future(2).join());
        assertTrue(e.getCause().getMessage().contains("outside the vocabulary"), e.getCause().getMessage());
    }

    @Test
    void aCancellationWhileTheSchedulerWaitsForCallersLeavesItWorking() throws Exception {
        // a pass of two callers, then the scheduler waits (here up to 1 s) for two to come back; the only one
        // that does cancels at once, so the queue is empty when the wait ends: the next caller must still be served
        try (Held h = new Held(new EmbeddingEngine.Options(1024, 1000, 1_000_000))) {
            h.holdInFirstPass();
            Submission a = h.engine.submit(inputs(List.of(stsb.get(0))));
            Submission b = h.engine.submit(inputs(List.of(stsb.get(1))));
            h.release.countDown();
            a.future(0).get(1, TimeUnit.MINUTES);
            b.future(0).get(1, TimeUnit.MINUTES);
            assertTrue(h.passes.stream().anyMatch(r -> r.includes(a.id()) && r.includes(b.id())), "a and b shared a pass");
            Submission gone = h.engine.submit(inputs(List.of(stsb.get(2))));
            Thread.sleep(200); // the scheduler is now waiting for a second caller
            gone.cancel();
            assertThrows(CancellationException.class, () -> gone.future(0).join());
            Thread.sleep(1500);
            Submission next = h.engine.submit(inputs(List.of(stsb.get(3))));
            assertArrayEquals(enc.embed(stsb.get(3)), next.future(0).get(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void aClosedEngineFailsWhatWaitsAndRefusesMore() throws Exception {
        Held h = new Held(EmbeddingEngine.Options.DEFAULT);
        h.holdInFirstPass();
        Submission waiting = h.engine.submit(inputs(stsb.subList(0, 3)));
        h.release.countDown();
        h.engine.close();
        for (int i = 0; i < waiting.size(); i++) {
            int at = i;
            // each input either finished in the pass that was running or failed naming the close
            try {
                waiting.future(at).join();
            } catch (CompletionException e) {
                assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
            }
        }
        assertTrue(waiting.isDone());
        assertThrows(dev.sentemb.SentembException.class, () -> h.engine.submit(inputs(stsb.subList(0, 1))));
    }
}
