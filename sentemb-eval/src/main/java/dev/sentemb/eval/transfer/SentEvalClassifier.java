package dev.sentemb.eval.transfer;

/**
 * SentEval's {@code PyTorchClassifier} with {@code nhid = 0} (a linear layer, i.e. logistic regression)
 * as the reference runs it in test mode: Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8) with SentEval's L2
 * as Adam's weight decay (coupled, bias included), mean cross-entropy, batches of 64 in a fresh
 * permutation each epoch, a dev-accuracy check every 4 epochs, stop after the check where 5 earlier
 * checks had not improved (the count is never reset), at most 200 epochs, and the best checked model
 * kept. The dev set is the given validation rows, or the first 5% of a permutation of the training rows.
 * Every draw is SentEval's: numpy's legacy permutations and torch's {@code nn.Linear} initialisation from
 * seed 1111 ({@link Mt19937}), so the only difference from the reference is float rounding order.
 */
final class SentEvalClassifier {
    static final int BATCH = 64;
    static final int TENACITY = 5;
    static final int EPOCH_SIZE = 4;
    static final int MAX_EPOCH = 200;
    static final double LR = 1e-3;
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPS = 1e-8;

    private final float[][] w; // [classes][dim]
    private final float[] b;

    private SentEvalClassifier(float[][] w, float[] b) {
        this.w = w;
        this.b = b;
    }

    /** torch's {@code nn.Linear} reset: weight then bias, each U(−1/√fan_in, 1/√fan_in) drawn row by row. */
    static void initLinear(Mt19937 torch, float[][] w, float[] b) {
        double bound = 1 / Math.sqrt(w[0].length);
        float lo = (float) -bound, hi = (float) bound;
        for (float[] row : w) {
            for (int k = 0; k < row.length; k++) {
                row[k] = torch.uniformFloat(lo, hi);
            }
        }
        for (int c = 0; c < b.length; c++) {
            b[c] = torch.uniformFloat(lo, hi);
        }
    }

    /**
     * Fits on the rows {@code train} of {@code x}; early stopping scores the rows {@code dev}, or, when it
     * is null, SentEval's {@code validation_split = 0.05} of the training rows.
     */
    static SentEvalClassifier fit(float[][] x, int[] y, int classes, int[] train, int[] dev, double l2, long seed) {
        Mt19937 numpy = new Mt19937(seed);
        Mt19937 torch = new Mt19937(seed);
        int dim = x[train[0]].length;
        float[][] w = new float[classes][dim];
        float[] b = new float[classes];
        initLinear(torch, w, b);
        int[] tr = train;
        int[] dv = dev;
        if (dv == null) {
            int[] perm = numpy.permutation(train.length);
            int nDev = (int) (0.05 * train.length);
            dv = new int[nDev];
            tr = new int[train.length - nDev];
            for (int i = 0; i < nDev; i++) {
                dv[i] = train[perm[i]];
            }
            for (int i = nDev; i < train.length; i++) {
                tr[i - nDev] = train[perm[i]];
            }
        }
        Adam adam = new Adam(classes, dim, (float) l2);
        float[][] bestW = null;
        float[] bestB = null;
        double best = -1;
        int epoch = 0;
        int stale = 0;
        boolean stop = false;
        float[][] logits = new float[BATCH][classes];
        float[][] gw = new float[classes][dim];
        float[] gb = new float[classes];
        while (!stop && epoch <= MAX_EPOCH) {
            for (int e = 0; e < EPOCH_SIZE; e++) {
                int[] perm = numpy.permutation(tr.length);
                for (int start = 0; start < tr.length; start += BATCH) {
                    int n = Math.min(BATCH, tr.length - start);
                    step(x, y, tr, perm, start, n, w, b, logits, gw, gb);
                    adam.update(w, b, gw, gb);
                }
            }
            epoch += EPOCH_SIZE;
            double acc = new SentEvalClassifier(w, b).accuracy(x, y, dv);
            if (acc > best) {
                best = acc;
                bestW = copy(w);
                bestB = b.clone();
            } else {
                if (stale >= TENACITY) {
                    stop = true;
                }
                stale++;
            }
        }
        return new SentEvalClassifier(bestW, bestB);
    }

    /** Mean cross-entropy's gradient over one batch: dlogits = (softmax − onehot)/n; gw = dlogitsᵀ·X [C×D], gb = Σ dlogits [C]. */
    private static void step(float[][] x, int[] y, int[] rows, int[] perm, int start, int n, float[][] w, float[] b, float[][] logits,
            float[][] gw, float[] gb) {
        int classes = b.length;
        for (int c = 0; c < classes; c++) {
            java.util.Arrays.fill(gw[c], 0f);
        }
        java.util.Arrays.fill(gb, 0f);
        for (int i = 0; i < n; i++) {
            int r = rows[perm[start + i]];
            float[] xi = x[r];
            float[] z = logits[i];
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                z[c] = dot(w[c], xi) + b[c];
                max = Math.max(max, z[c]);
            }
            float sum = 0;
            for (int c = 0; c < classes; c++) {
                z[c] = (float) Math.exp(z[c] - max);
                sum += z[c];
            }
            for (int c = 0; c < classes; c++) {
                float g = (z[c] / sum - (y[r] == c ? 1f : 0f)) / n;
                gb[c] += g;
                float[] gc = gw[c];
                for (int k = 0; k < xi.length; k++) {
                    gc[k] += g * xi[k];
                }
            }
        }
    }

    private static float dot(float[] a, float[] x) {
        float s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * x[k];
        }
        return s;
    }

    /** torch's Adam (single-tensor path) with coupled weight decay, in float as torch computes it on float tensors. */
    private static final class Adam {
        private final float[][] mw, vw;
        private final float[] mb, vb;
        private final float decay;
        private int t;

        Adam(int classes, int dim, float decay) {
            mw = new float[classes][dim];
            vw = new float[classes][dim];
            mb = new float[classes];
            vb = new float[classes];
            this.decay = decay;
        }

        void update(float[][] w, float[] b, float[][] gw, float[] gb) {
            t++;
            double bc1 = 1 - Math.pow(BETA1, t);
            double bc2 = 1 - Math.pow(BETA2, t);
            float stepSize = (float) (LR / bc1);
            float bc2Sqrt = (float) Math.sqrt(bc2);
            for (int c = 0; c < w.length; c++) {
                apply(w[c], gw[c], mw[c], vw[c], stepSize, bc2Sqrt);
            }
            apply(b, gb, mb, vb, stepSize, bc2Sqrt);
        }

        private void apply(float[] p, float[] g, float[] m, float[] v, float stepSize, float bc2Sqrt) {
            final float oneMinusB1 = (float) (1 - BETA1), b2 = (float) BETA2, oneMinusB2 = (float) (1 - BETA2), eps = (float) EPS;
            for (int k = 0; k < p.length; k++) {
                float gk = g[k] + decay * p[k];
                m[k] = m[k] + oneMinusB1 * (gk - m[k]);
                v[k] = v[k] * b2 + oneMinusB2 * gk * gk;
                float denom = (float) Math.sqrt(v[k]) / bc2Sqrt + eps;
                p[k] = p[k] + (-stepSize * m[k]) / denom; // addcdiv: self + value·t1 / t2
            }
        }
    }

    /** The arg-max class (the first on ties, as torch's {@code max(1)}). */
    int predict(float[] xi) {
        int best = 0;
        float bestZ = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < b.length; c++) {
            float z = dot(w[c], xi) + b[c];
            if (z > bestZ) {
                bestZ = z;
                best = c;
            }
        }
        return best;
    }

    /** Fraction of the rows {@code idx} classified correctly. */
    double accuracy(float[][] x, int[] y, int[] idx) {
        int ok = 0;
        for (int i : idx) {
            if (predict(x[i]) == y[i]) {
                ok++;
            }
        }
        return (double) ok / idx.length;
    }

    private static float[][] copy(float[][] a) {
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
