package dev.sentemb.eval.transfer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stratified k-fold splits exactly as SentEval draws them: scikit-learn's
 * {@code StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)}, a fresh NumPy
 * {@code RandomState(seed)} per split. Classes are numbered in order of first appearance; fold i gets
 * as many samples of each class as the i-th stride of the label-sorted list holds; each class's list
 * of fold numbers is shuffled (NumPy's legacy Fisher-Yates over MT19937, {@link Mt19937}) and dealt to that class's samples in index order.
 * Checked sample for sample against scikit-learn (tools/oracle/fold_fixtures.py).
 */
public final class StratifiedFolds {
    private StratifiedFolds() {}

    /** One split: indices into the data that was split, each in increasing order. */
    public record Split(int[] train, int[] test) {}

    public static List<Split> split(int[] labels, int k, long seed) {
        int[] fold = testFolds(labels, k, seed);
        List<Split> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int size = 0;
            for (int v : fold) {
                if (v == f) {
                    size++;
                }
            }
            int[] test = new int[size];
            int[] train = new int[labels.length - size];
            int a = 0, b = 0;
            for (int i = 0; i < labels.length; i++) {
                if (fold[i] == f) {
                    test[a++] = i;
                } else {
                    train[b++] = i;
                }
            }
            out.add(new Split(train, test));
        }
        return out;
    }

    /** The test fold of every sample (scikit-learn's {@code _make_test_folds}). */
    static int[] testFolds(int[] labels, int k, long seed) {
        int n = labels.length;
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("cannot make " + k + " folds of " + n + " samples");
        }
        // Classes by order of first appearance.
        List<Integer> seen = new ArrayList<>();
        int[] enc = new int[n];
        for (int i = 0; i < n; i++) {
            int c = seen.indexOf(labels[i]);
            if (c < 0) {
                c = seen.size();
                seen.add(labels[i]);
            }
            enc[i] = c;
        }
        int classes = seen.size();
        int[] count = new int[classes];
        for (int c : enc) {
            count[c]++;
        }
        // As scikit-learn: an error only when every class is smaller than k (a small class leaves some folds without it).
        if (Arrays.stream(count).allMatch(c -> c < k)) {
            throw new IllegalArgumentException("cannot make " + k + " stratified folds: every class has fewer than " + k + " samples");
        }
        // allocation[f][c]: class-c samples among positions f, f+k, f+2k, … of the class-sorted list.
        int[][] allocation = new int[k][classes];
        int pos = 0;
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < count[c]; j++, pos++) {
                allocation[pos % k][c]++;
            }
        }
        Mt19937 rng = new Mt19937(seed);
        int[] fold = new int[n];
        for (int c = 0; c < classes; c++) {
            int[] folds = new int[count[c]];
            int at = 0;
            for (int f = 0; f < k; f++) {
                for (int j = 0; j < allocation[f][c]; j++) {
                    folds[at++] = f;
                }
            }
            rng.shuffle(folds);
            at = 0;
            for (int i = 0; i < n; i++) {
                if (enc[i] == c) {
                    fold[i] = folds[at++];
                }
            }
        }
        return fold;
    }
}
