package dev.sentemb.eval.transfer;

import org.hipparchus.random.MersenneTwister;

/**
 * The draws SentEval makes from MT19937 seeded with an integer ({@code init_genrand}, as Hipparchus's
 * {@link MersenneTwister} seeds it): numpy's legacy {@code RandomState} (the stratified folds'
 * shuffles, the classifier's permutations) and torch's CPU generator after {@code torch.manual_seed}
 * (the classifier's initial weights). The same seed here gives the same draws.
 */
final class Mt19937 {
    private final MersenneTwister mt;

    Mt19937(long seed) {
        mt = new MersenneTwister((int) seed);
    }

    /** The next 32 random bits, as an unsigned value. */
    long nextUint32() {
        return mt.nextInt() & 0xffffffffL;
    }

    /** numpy's legacy {@code random_interval(max)}: uniform in [0, max], 32-bit draws masked to max's bit width. */
    long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long v;
        do {
            v = nextUint32() & mask;
        } while (v > max);
        return v;
    }

    /** numpy's legacy {@code RandomState.shuffle}: Fisher–Yates from the end. */
    void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = (int) interval(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** numpy's legacy {@code RandomState.permutation(n)}: arange(n), shuffled. */
    int[] permutation(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        shuffle(a);
        return a;
    }

    /** torch's CPU {@code uniform_(from, to)} on a float tensor: 24 random bits scaled in double, then rounded to float. */
    float uniformFloat(float from, float to) {
        double x = (nextUint32() & 0xFFFFFF) * 0x1.0p-24;
        return (float) (x * (to - from) + from);
    }
}
