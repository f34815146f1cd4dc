package dev.sentemb.eval.transfer;

import dev.sentemb.eval.SentEvalText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A SentEval transfer task with its sentences already in SentEval's joined form. The shape says which
 * protocol scores it: cross-validation (MR, CR, SUBJ, MPQA), k-fold on train then test (TREC, MRPC),
 * or train/dev/test (SST2).
 */
public sealed interface TransferTask {
    String name();

    /** Every sentence of the task in reading order (duplicates kept). */
    List<String> sentences();

    /** Sentences with integer labels. */
    record Labeled(List<String> x, int[] y) {
        public int size() {
            return y.length;
        }

        /**
         * The order SentEval embeds and then splits the samples in: by word count, then label, ties kept in
         * reading order (Python's stable {@code sorted(key=lambda z: (len(z[0]), z[1]))}). Its stratified
         * folds are drawn over this order, so ours must be too.
         */
        public Labeled sortedAsSentEval() {
            Integer[] order = order(y.length, Comparator.comparingInt((Integer i) -> words(x.get(i))).thenComparingInt(i -> y[i]));
            List<String> sx = new ArrayList<>(y.length);
            int[] sy = new int[y.length];
            for (int i = 0; i < order.length; i++) {
                sx.add(x.get(order[i]));
                sy[i] = y[order[i]];
            }
            return new Labeled(sx, sy);
        }
    }

    /** Sentence pairs with integer labels (MRPC). */
    record Pairs(List<String> a, List<String> b, int[] y) {
        public int size() {
            return y.length;
        }

        /** SentEval's MRPC order: by the first sentence's word count, then the second's, then label; stable. */
        public Pairs sortedAsSentEval() {
            Integer[] order = order(y.length, Comparator.comparingInt((Integer i) -> words(a.get(i))).thenComparingInt(i -> words(b.get(i)))
                    .thenComparingInt(i -> y[i]));
            List<String> sa = new ArrayList<>(y.length);
            List<String> sb = new ArrayList<>(y.length);
            int[] sy = new int[y.length];
            for (int i = 0; i < order.length; i++) {
                sa.add(a.get(order[i]));
                sb.add(b.get(order[i]));
                sy[i] = y[order[i]];
            }
            return new Pairs(sa, sb, sy);
        }
    }

    /** Indices 0…n−1 stably sorted by {@code by}. */
    private static Integer[] order(int n, Comparator<Integer> by) {
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, by); // object sort: stable
        return idx;
    }

    /** Words of a sentence already in SentEval's joined form (single spaces). */
    private static int words(String joined) {
        return SentEvalText.split(joined).size();
    }

    /** MR, CR, SUBJ, MPQA: 10-fold cross-validation with an inner k-fold search of the L2 strength. */
    record CrossValidated(String name, Labeled all) implements TransferTask {
        public List<String> sentences() {
            return all.x();
        }
    }

    /** TREC: k-fold search on train, then one fit on all of train scored on test. */
    record TrainTest(String name, Labeled train, Labeled test) implements TransferTask {
        public List<String> sentences() {
            List<String> s = new ArrayList<>(train.x());
            s.addAll(test.x());
            return s;
        }
    }

    /** SST2: the L2 strength is chosen on dev, then scored on test. */
    record TrainDevTest(String name, Labeled train, Labeled dev, Labeled test) implements TransferTask {
        public List<String> sentences() {
            List<String> s = new ArrayList<>(train.x());
            s.addAll(dev.x());
            s.addAll(test.x());
            return s;
        }
    }

    /** MRPC: pair features [|u−v|, u∘v], k-fold search on train, then test. */
    record PairTrainTest(String name, Pairs train, Pairs test) implements TransferTask {
        public List<String> sentences() {
            List<String> s = new ArrayList<>(train.a());
            s.addAll(train.b());
            s.addAll(test.a());
            s.addAll(test.b());
            return s;
        }
    }
}
