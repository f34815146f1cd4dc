package dev.sentemb.eval.transfer;

import de.bwaldvogel.liblinear.Feature;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * SentEval's three classifier protocols over frozen embeddings (validation.py in SentEval): the L2 grid
 * is SentEval's PyTorch one, 1e-5 … 1e-2, and every score is ×100 rounded to two decimals before the
 * arg-max, so ties go to the weaker regulariser first as in {@code np.argmax}. Seeds are fixed (1111).
 * Two classifiers: {@link Classifier#SENTEVAL} is the reference's own (early-stopped Adam; a search fit
 * stops early on the fold it is scored on, a final fit on 5% of its training rows, as validation.py
 * does), {@link Classifier#LIBLINEAR} the exact optimum of the same regularised loss.
 */
public final class TransferEvaluator {
    public static final double[] L2_GRID = {1e-5, 1e-4, 1e-3, 1e-2};
    public static final long SEED = 1111;

    /** Which logistic regression fits the features. */
    public enum Classifier {
        /** SentEval's PyTorchClassifier in the reference's test mode ({@link SentEvalClassifier}): numbers comparable with the paper's. */
        SENTEVAL,
        /** LIBLINEAR's exact optimum of the same loss ({@link LogisticRegression}). */
        LIBLINEAR;

        public static Classifier parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "senteval" -> SENTEVAL;
                case "liblinear" -> LIBLINEAR;
                default -> throw new IllegalArgumentException("unknown classifier '" + s + "' (expected senteval or liblinear)");
            };
        }

        public String label() {
            return this == SENTEVAL ? "senteval (PyTorchClassifier: Adam, batch 64, epoch size 4, tenacity 5, seed 1111)"
                    : "liblinear (exact L2-regularised logistic regression)";
        }
    }

    private final int kfold;
    private final Runnable fitDone;
    private final Classifier classifier;

    /** @param kfold folds of the outer and inner searches (the reference's test mode uses 10) */
    public TransferEvaluator(int kfold) {
        this(kfold, () -> {});
    }

    /** @param fitDone called (from any thread) after each logistic-regression fit, for progress */
    public TransferEvaluator(int kfold, Runnable fitDone) {
        this(kfold, fitDone, Classifier.SENTEVAL);
    }

    public TransferEvaluator(int kfold, Runnable fitDone, Classifier classifier) {
        this.kfold = kfold;
        this.fitDone = fitDone;
        this.classifier = classifier;
    }

    /** The logistic-regression fits {@link #evaluate} makes for a task (a one-vs-rest fit counts once). */
    public static int plannedFits(int kfold, TransferTask task) {
        int grid = L2_GRID.length;
        return switch (task) {
            case TransferTask.CrossValidated t -> kfold * (grid * kfold + 1);
            case TransferTask.TrainTest t -> grid * kfold + 1;
            case TransferTask.PairTrainTest t -> grid * kfold + 1;
            case TransferTask.TrainDevTest t -> grid;
        };
    }

    /** Features in the form each classifier reads (LIBLINEAR's rows made once, on first use). */
    static final class Data {
        final float[][] x;
        private Feature[][] rows;

        Data(float[][] x) {
            this.x = x;
        }

        synchronized Feature[][] rows() {
            if (rows == null) {
                rows = LogisticRegression.features(x);
            }
            return rows;
        }
    }

    /** A fitted classifier, whichever it is. */
    interface Fitted {
        int predict(Data d, int i);

        default double accuracy(Data d, int[] y, int[] idx) {
            int ok = 0;
            for (int i : idx) {
                if (predict(d, i) == y[i]) {
                    ok++;
                }
            }
            return (double) ok / idx.length;
        }
    }

    /**
     * Fits on the rows {@code train} of {@code d}; {@code dev} are the rows SentEval's classifier checks
     * for early stopping (null: 5% of the training rows). LIBLINEAR needs no dev rows.
     */
    private Fitted fit(Data d, int[] y, int classes, int[] train, int[] dev, double l2) {
        Fitted f;
        if (classifier == Classifier.SENTEVAL) {
            SentEvalClassifier m = SentEvalClassifier.fit(d.x, y, classes, train, dev, l2, SEED);
            f = (data, i) -> m.predict(data.x[i]);
        } else {
            LogisticRegression m = LogisticRegression.fit(d.rows(), y, train, l2);
            f = (data, i) -> m.predict(data.rows()[i]);
        }
        fitDone.run();
        return f;
    }

    /** Scores a task; training samples are first put in SentEval's order, over which its folds are drawn. */
    public TransferResult evaluate(TransferTask task, Map<String, float[]> vectors) {
        return switch (task) {
            case TransferTask.CrossValidated t -> {
                TransferTask.Labeled all = t.all().sortedAsSentEval();
                yield innerKFold(t.name(), matrix(all.x(), vectors), all.y());
            }
            case TransferTask.TrainTest t -> {
                TransferTask.Labeled train = t.train().sortedAsSentEval();
                yield kFold(t.name(), matrix(train.x(), vectors), train.y(), matrix(t.test().x(), vectors), t.test().y(), false);
            }
            case TransferTask.PairTrainTest t -> {
                TransferTask.Pairs train = t.train().sortedAsSentEval();
                yield kFold(t.name(), pairFeatures(train, vectors), train.y(), pairFeatures(t.test(), vectors), t.test().y(), true);
            }
            case TransferTask.TrainDevTest t -> {
                TransferTask.Labeled train = t.train().sortedAsSentEval();
                yield split(t.name(), matrix(train.x(), vectors), train.y(), matrix(t.dev().x(), vectors), t.dev().y(),
                        matrix(t.test().x(), vectors), t.test().y());
            }
        };
    }

    /** SentEval's nclasses: the labels are 0 … n−1. */
    private static int classes(int[]... ys) {
        int max = 0;
        for (int[] y : ys) {
            for (int v : y) {
                max = Math.max(max, v);
            }
        }
        return Math.max(2, max + 1);
    }

    /** MR, CR, SUBJ, MPQA: for each outer fold, pick λ by an inner k-fold on its train part, then test. */
    TransferResult innerKFold(String name, float[][] x, int[] y) {
        Data d = new Data(x);
        int classes = classes(y);
        List<StratifiedFolds.Split> outers = StratifiedFolds.split(y, kfold, SEED);
        double[] dev = new double[outers.size()];
        double[] test = new double[outers.size()];
        List<Double> chosen = new ArrayList<>();
        for (int o = 0; o < outers.size(); o++) {
            StratifiedFolds.Split outer = outers.get(o);
            int[] trainY = pick(y, outer.train());
            List<StratifiedFolds.Split> inner = StratifiedFolds.split(trainY, kfold, SEED);
            double[] scores = new double[L2_GRID.length];
            for (int r = 0; r < L2_GRID.length; r++) {
                double l2 = L2_GRID[r];
                double[] accuracies = IntStream.range(0, inner.size()).parallel().mapToDouble(f -> {
                    StratifiedFolds.Split s = inner.get(f);
                    int[] tr = pick(outer.train(), s.train());
                    int[] te = pick(outer.train(), s.test());
                    return fit(d, y, classes, tr, te, l2).accuracy(d, y, te);
                }).toArray();
                scores[r] = npRound2(100 * npMean(accuracies));
            }
            int best = argmax(scores);
            chosen.add(L2_GRID[best]);
            dev[o] = scores[best];
            test[o] = round2(100 * fit(d, y, classes, outer.train(), null, L2_GRID[best]).accuracy(d, y, outer.test()));
        }
        return new TransferResult(name, npRound2(npMean(dev)), npRound2(npMean(test)), x.length, x.length, null, chosen);
    }

    /** TREC, MRPC: pick λ by k-fold on train, fit on all of train, score test. */
    TransferResult kFold(String name, float[][] trainX, int[] trainY, float[][] testX, int[] testY, boolean f1) {
        Data d = new Data(trainX);
        Data t = new Data(testX);
        int classes = classes(trainY, testY);
        List<StratifiedFolds.Split> folds = StratifiedFolds.split(trainY, kfold, SEED);
        double[] scores = new double[L2_GRID.length];
        for (int r = 0; r < L2_GRID.length; r++) {
            double l2 = L2_GRID[r];
            double[] accuracies = folds.parallelStream()
                    .mapToDouble(s -> fit(d, trainY, classes, s.train(), s.test(), l2).accuracy(d, trainY, s.test())).toArray();
            scores[r] = npRound2(100 * npMean(accuracies));
        }
        int best = argmax(scores);
        Fitted clf = fit(d, trainY, classes, all(trainY.length), null, L2_GRID[best]);
        int[] testIdx = all(testY.length);
        Double f = f1 ? round2(100 * f1(clf, t, testY)) : null;
        return new TransferResult(name, scores[best], round2(100 * clf.accuracy(t, testY, testIdx)), trainY.length, testY.length, f,
                List.of(L2_GRID[best]));
    }

    /** SST2: pick λ on dev, score test with the model fitted at that λ (SentEval refits it with the same seed: the same model). */
    TransferResult split(String name, float[][] trainX, int[] trainY, float[][] devX, int[] devY, float[][] testX, int[] testY) {
        // one matrix: train rows, then dev, then test, so a fit can check dev rows for early stopping
        int nTr = trainX.length, nDev = devX.length;
        float[][] x = new float[nTr + nDev + testX.length][];
        int[] y = new int[x.length];
        System.arraycopy(trainX, 0, x, 0, nTr);
        System.arraycopy(devX, 0, x, nTr, nDev);
        System.arraycopy(testX, 0, x, nTr + nDev, testX.length);
        System.arraycopy(trainY, 0, y, 0, nTr);
        System.arraycopy(devY, 0, y, nTr, nDev);
        System.arraycopy(testY, 0, y, nTr + nDev, testY.length);
        Data d = new Data(x);
        int classes = classes(y);
        int[] trainIdx = all(nTr);
        int[] devIdx = IntStream.range(nTr, nTr + nDev).toArray();
        int[] testIdx = IntStream.range(nTr + nDev, x.length).toArray();
        Fitted[] fits = new Fitted[L2_GRID.length];
        double[] scores = new double[L2_GRID.length];
        IntStream.range(0, L2_GRID.length).parallel().forEach(r -> fits[r] = fit(d, y, classes, trainIdx, devIdx, L2_GRID[r]));
        for (int r = 0; r < L2_GRID.length; r++) {
            scores[r] = round2(100 * fits[r].accuracy(d, y, devIdx));
        }
        int best = argmax(scores);
        return new TransferResult(name, scores[best], round2(100 * fits[best].accuracy(d, y, testIdx)), devY.length,
                testY.length, null, List.of(L2_GRID[best]));
    }

    /** SentEval's MRPC features: [|u−v|, u∘v]. */
    static float[][] pairFeatures(TransferTask.Pairs p, Map<String, float[]> vectors) {
        float[][] out = new float[p.size()][];
        for (int i = 0; i < p.size(); i++) {
            float[] u = vector(vectors, p.a().get(i));
            float[] v = vector(vectors, p.b().get(i));
            float[] f = new float[2 * u.length];
            for (int j = 0; j < u.length; j++) {
                f[j] = Math.abs(u[j] - v[j]);
                f[u.length + j] = u[j] * v[j];
            }
            out[i] = f;
        }
        return out;
    }

    static float[][] matrix(List<String> xs, Map<String, float[]> vectors) {
        float[][] out = new float[xs.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vector(vectors, xs.get(i));
        }
        return out;
    }

    private static float[] vector(Map<String, float[]> vectors, String s) {
        float[] v = vectors.get(s);
        if (v == null) {
            throw new IllegalStateException("no embedding for sentence: '" + s + "'");
        }
        return v;
    }

    /** F1 of the positive class (label 1), as scikit-learn's {@code f1_score} for binary labels. */
    static double f1(Fitted clf, Data d, int[] y) {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < y.length; i++) {
            int p = clf.predict(d, i);
            if (p == 1 && y[i] == 1) {
                tp++;
            } else if (p == 1) {
                fp++;
            } else if (y[i] == 1) {
                fn++;
            }
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /**
     * Python's {@code round(x, 2)} of a Python float: the exact binary value rounded, ties to even. SentEval rounds
     * single scores ({@code round(100*clf.score(..), 2)}) this way.
     */
    static double round2(double x) {
        return new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
    }

    /**
     * {@code round(x, 2)} of a numpy float64, which numpy does as {@code rint(x·100)/100}: SentEval rounds its means
     * ({@code round(100*np.mean(..), 2)}) this way. The two differ where x·100 lands on a half: a mean of ten
     * two-decimal fold scores, 92.41499999999999, is 92.42 here and 92.41 by {@link #round2}.
     */
    static double npRound2(double x) {
        return Math.rint(x * 100) / 100;
    }

    /** {@code np.mean(a)} of a float64 array: numpy's pairwise sum (below), divided by the length. */
    static double npMean(double[] a) {
        return npSum(a, 0, a.length) / a.length;
    }

    /**
     * numpy's pairwise summation of float64 (its {@code add.reduce}): fewer than 8 values in order; up to 128 in eight
     * interleaved partial sums combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), the rest added in order; more split
     * at a multiple of 8 near the middle. Ten fold scores do not sum to the same bits in order.
     */
    static double npSum(double[] a, int from, int n) {
        if (n < 8) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += a[from + i];
            }
            return s;
        }
        if (n <= 128) {
            double[] r = new double[8];
            System.arraycopy(a, from, r, 0, 8);
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                s += a[from + i];
            }
            return s;
        }
        int half = n / 2;
        half -= half % 8;
        return npSum(a, from, half) + npSum(a, from + half, n - half);
    }

    private static int argmax(double[] s) {
        int b = 0;
        for (int i = 1; i < s.length; i++) {
            if (s[i] > s[b]) {
                b = i;
            }
        }
        return b;
    }

    private static int[] pick(int[] a, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    private static int[] all(int n) {
        return IntStream.range(0, n).toArray();
    }
}
