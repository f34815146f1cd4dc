package dev.sentemb.eval.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransferEvaluatorTest {
    /** Two Gaussian classes whose means differ by {@code gap} along every axis. */
    static Map<String, float[]> blobs(List<String> names, int[] y, double gap, long seed) {
        Random r = new Random(seed);
        Map<String, float[]> v = new HashMap<>();
        for (int i = 0; i < y.length; i++) {
            float[] x = new float[8];
            for (int j = 0; j < 8; j++) {
                x[j] = (float) (r.nextGaussian() + (y[i] == 1 ? gap : 0));
            }
            v.put(names.get(i), x);
        }
        return v;
    }

    static TransferTask.Labeled labeled(String prefix, int n, long seed) {
        Random r = new Random(seed);
        List<String> x = new ArrayList<>();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x.add(prefix + i);
            y[i] = r.nextInt(2);
        }
        return new TransferTask.Labeled(x, y);
    }

    private static TransferEvaluator liblinear() {
        return new TransferEvaluator(5, () -> {}, TransferEvaluator.Classifier.LIBLINEAR);
    }

    @Test
    void separableClassesScoreHighAndNoiseScoresChance() {
        TransferTask.Labeled all = labeled("s", 400, 1);
        var task = new TransferTask.CrossValidated("MR", all);
        TransferResult good = liblinear().evaluate(task, blobs(all.x(), all.y(), 2.0, 2));
        assertTrue(good.acc() > 95, "acc " + good.acc());
        assertEquals(5, good.l2().size());
        Map<String, float[]> noise = blobs(all.x(), new int[all.size()], 0, 4);
        TransferResult chance = liblinear().evaluate(task, noise);
        assertTrue(chance.acc() < 65 && chance.acc() > 35, "acc " + chance.acc());
    }

    @Test
    void sentEvalsEarlyStoppedAdamLearnsLessOnFewSamplesButLearns() {
        // 320 training rows are 5 batches an epoch: SentEval's classifier stops far from the optimum LIBLINEAR finds
        TransferTask.Labeled all = labeled("s", 400, 1);
        var task = new TransferTask.CrossValidated("MR", all);
        TransferResult good = new TransferEvaluator(5).evaluate(task, blobs(all.x(), all.y(), 2.0, 2));
        assertTrue(good.acc() > 75, "acc " + good.acc());
        TransferResult chance = new TransferEvaluator(5).evaluate(task, blobs(all.x(), new int[all.size()], 0, 4));
        assertTrue(chance.acc() < 65 && chance.acc() > 35, "acc " + chance.acc());
    }

    @Test
    void pairAndSplitProtocols() {
        TransferTask.Labeled tr = labeled("a", 300, 5);
        TransferTask.Labeled te = labeled("b", 100, 6);
        Map<String, float[]> v = new HashMap<>(blobs(tr.x(), tr.y(), 1.5, 7));
        v.putAll(blobs(te.x(), te.y(), 1.5, 8));
        TransferResult trec = liblinear().evaluate(new TransferTask.TrainTest("TREC", tr, te), v);
        assertTrue(trec.acc() > 85, "acc " + trec.acc());
        assertEquals(300, trec.ndev());
        TransferResult sst = liblinear().evaluate(new TransferTask.TrainDevTest("SST2", tr, te, te), v);
        TransferResult sstAdam = new TransferEvaluator(5).evaluate(new TransferTask.TrainDevTest("SST2", tr, te, te), v);
        assertEquals(sstAdam.devacc(), sstAdam.acc(), 1e-9, "dev and test are the same set here");
        assertEquals(sst.devacc(), sst.acc(), 1e-9, "dev and test are the same set here");
        // MRPC: a pair is a paraphrase when both sides are the same point; [|u-v|, u*v] separates that.
        List<String> a = new ArrayList<>(), b = new ArrayList<>();
        int[] y = new int[200];
        Random r = new Random(9);
        Map<String, float[]> pv = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            y[i] = i % 2;
            float[] u = new float[4], w = new float[4];
            for (int j = 0; j < 4; j++) {
                u[j] = (float) r.nextGaussian();
                w[j] = y[i] == 1 ? u[j] + 0.05f * (float) r.nextGaussian() : (float) r.nextGaussian();
            }
            a.add("u" + i);
            b.add("w" + i);
            pv.put("u" + i, u);
            pv.put("w" + i, w);
        }
        var pairs = new TransferTask.Pairs(a, b, y);
        TransferResult mrpc = liblinear().evaluate(new TransferTask.PairTrainTest("MRPC", pairs, pairs), pv);
        assertTrue(mrpc.acc() > 85, "acc " + mrpc.acc());
        assertTrue(mrpc.f1() != null && mrpc.f1() > 80);
    }

    @Test
    void everyFitIsReportedAndPlanned() {
        TransferTask.Labeled tr = labeled("a", 120, 11);
        TransferTask.Labeled te = labeled("b", 40, 12);
        Map<String, float[]> v = new HashMap<>(blobs(tr.x(), tr.y(), 1.0, 13));
        v.putAll(blobs(te.x(), te.y(), 1.0, 14));
        var pairs = new TransferTask.Pairs(tr.x(), tr.x(), tr.y());
        List<TransferTask> tasks = List.of(new TransferTask.CrossValidated("MR", tr), new TransferTask.TrainTest("TREC", tr, te),
                new TransferTask.TrainDevTest("SST2", tr, te, te), new TransferTask.PairTrainTest("MRPC", pairs, pairs));
        int[] expected = {5 * (4 * 5 + 1), 4 * 5 + 1, 4, 4 * 5 + 1};
        for (int i = 0; i < tasks.size(); i++) {
            AtomicInteger fits = new AtomicInteger();
            for (TransferEvaluator.Classifier c : TransferEvaluator.Classifier.values()) {
                fits.set(0);
                new TransferEvaluator(5, fits::incrementAndGet, c).evaluate(tasks.get(i), v);
                assertEquals(expected[i], TransferEvaluator.plannedFits(5, tasks.get(i)), tasks.get(i).name());
                assertEquals(expected[i], fits.get(), tasks.get(i).name() + " " + c);
            }
        }
    }

    @Test
    void samplesAreOrderedAsSentEvalOrdersThem() {
        var l = new TransferTask.Labeled(List.of("a b c", "x", "d e", "y", "f g"), new int[] {0, 1, 1, 0, 0});
        var s = l.sortedAsSentEval();
        assertEquals(List.of("y", "x", "f g", "d e", "a b c"), s.x(), "by words, then label, then reading order");
        assertEquals(List.of(0, 1, 0, 1, 0), java.util.Arrays.stream(s.y()).boxed().toList());
        var p = new TransferTask.Pairs(List.of("a b", "c", "d e", "f"), List.of("x", "y z", "w", "v u"), new int[] {1, 0, 0, 1});
        var ps = p.sortedAsSentEval();
        assertEquals(List.of("c", "f", "d e", "a b"), ps.a(), "by first words, second words, then label");
        assertEquals(List.of("y z", "v u", "w", "x"), ps.b());
        assertEquals(List.of(0, 1, 0, 1), java.util.Arrays.stream(ps.y()).boxed().toList());
    }

    @Test
    void roundsLikePython() {
        assertEquals(2.67, TransferEvaluator.round2(2.675), 0); // 2.675 is 2.67499999… in binary, as Python rounds it
        assertEquals(0.68, TransferEvaluator.round2(0.675), 0); // 0.675 is 0.67500000000000004…
        assertEquals(81.23, TransferEvaluator.round2(81.2349), 0);
    }

    /**
     * SentEval's means are numpy's: {@code round(np.mean(scores), 2)} sums pairwise and rounds as rint(x·100)/100.
     * Expected values from numpy 2.4.6: the first list is smollm2-135m's ten SUBJ outer-fold dev scores (the
     * reference reported 92.42, Python's rounding of the same mean gives 92.41); in the second, summing in order
     * gives 86.43500000000002 (→ 86.44) where numpy's pairwise sum gives 86.43499999999999 (→ 86.43).
     */
    @Test
    void meansRoundLikeNumpy() {
        double[] subj = {92.19, 92.42, 92.52, 92.43, 92.59, 92.57, 92.53, 92.32, 92.17, 92.41};
        assertEquals(92.41499999999999, TransferEvaluator.npMean(subj), 0);
        assertEquals(92.42, TransferEvaluator.npRound2(TransferEvaluator.npMean(subj)), 0);
        assertEquals(92.41, TransferEvaluator.round2(TransferEvaluator.npMean(subj)), 0);
        double[] v = {89.97, 81.82, 92.61, 84.41, 88.5, 85.59, 91.07, 82.99, 83.71, 83.68};
        double inOrder = 0;
        for (double x : v) {
            inOrder += x;
        }
        assertEquals(86.43500000000002, inOrder / v.length, 0);
        assertEquals(86.43499999999999, TransferEvaluator.npMean(v), 0);
        assertEquals(86.43, TransferEvaluator.npRound2(TransferEvaluator.npMean(v)), 0);
        assertEquals(2.5, TransferEvaluator.npMean(new double[] {1, 2, 3, 4}), 0); // under 8 values: in order
    }
}
