package dev.sentemb.eval.transfer;

import java.util.ArrayList;
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
    }

    /** Sentence pairs with integer labels (MRPC). */
    record Pairs(List<String> a, List<String> b, int[] y) {
        public int size() {
            return y.length;
        }
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
