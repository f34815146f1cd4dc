package dev.sentemb.eval.transfer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Stratified k-fold splits with a fixed seed, as scikit-learn's {@code StratifiedKFold(shuffle=True)}
 * builds them in SentEval: every class is spread over the k test folds as evenly as it can be, and the
 * folds differ in size by at most one. The shuffle is Java's, so the exact partition differs from
 * scikit-learn's (its generator is NumPy's); the protocol does not.
 */
public final class StratifiedFolds {
    private StratifiedFolds() {}

    /** One split: indices into the data that was split. */
    public record Split(int[] train, int[] test) {}

    public static List<Split> split(int[] labels, int k, long seed) {
        int n = labels.length;
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("cannot make " + k + " folds of " + n + " samples");
        }
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        // Deal the shuffled samples of each class in turn round-robin over the folds; the counter runs
        // on across classes so the folds stay balanced in size as well as in classes.
        int[] fold = new int[n];
        int dealt = 0;
        int maxLabel = 0;
        for (int y : labels) {
            maxLabel = Math.max(maxLabel, y);
        }
        for (int c = 0; c <= maxLabel; c++) {
            for (int i : order) {
                if (labels[i] == c) {
                    fold[i] = dealt++ % k;
                }
            }
        }
        List<Split> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int size = 0;
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    size++;
                }
            }
            int[] test = new int[size];
            int[] train = new int[n - size];
            int a = 0, b = 0;
            for (int i = 0; i < n; i++) {
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
}
