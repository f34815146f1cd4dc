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
 */
public final class TransferEvaluator {
    public static final double[] L2_GRID = {1e-5, 1e-4, 1e-3, 1e-2};
    public static final long SEED = 1111;

    private final int kfold;
    private final Runnable fitDone;

    /** @param kfold folds of the outer and inner searches (the reference's test mode uses 10) */
    public TransferEvaluator(int kfold) {
        this(kfold, () -> {});
    }

    /** @param fitDone called (from any thread) after each logistic-regression fit, for progress */
    public TransferEvaluator(int kfold, Runnable fitDone) {
        this.kfold = kfold;
        this.fitDone = fitDone;
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

    private LogisticRegression fit(Feature[][] rows, int[] labels, int[] idx, double l2) {
        LogisticRegression m = LogisticRegression.fit(rows, labels, idx, l2);
        fitDone.run();
        return m;
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

    /** MR, CR, SUBJ, MPQA: for each outer fold, pick λ by an inner k-fold on its train part, then test. */
    TransferResult innerKFold(String name, float[][] x, int[] y) {
        Feature[][] rows = LogisticRegression.features(x);
        List<Double> dev = new ArrayList<>();
        List<Double> test = new ArrayList<>();
        List<Double> chosen = new ArrayList<>();
        for (StratifiedFolds.Split outer : StratifiedFolds.split(y, kfold, SEED)) {
            int[] trainY = pick(y, outer.train());
            List<StratifiedFolds.Split> inner = StratifiedFolds.split(trainY, kfold, SEED);
            double[] scores = new double[L2_GRID.length];
            for (int r = 0; r < L2_GRID.length; r++) {
                double l2 = L2_GRID[r];
                double mean = IntStream.range(0, inner.size()).parallel().mapToDouble(f -> {
                    StratifiedFolds.Split s = inner.get(f);
                    int[] tr = pick(outer.train(), s.train());
                    int[] te = pick(outer.train(), s.test());
                    return fit(rows, y, tr, l2).accuracy(rows, y, te);
                }).sum() / inner.size();
                scores[r] = round2(100 * mean);
            }
            int best = argmax(scores);
            chosen.add(L2_GRID[best]);
            dev.add(scores[best]);
            test.add(round2(100 * fit(rows, y, outer.train(), L2_GRID[best]).accuracy(rows, y, outer.test())));
        }
        return new TransferResult(name, round2(mean(dev)), round2(mean(test)), x.length, x.length, null, chosen);
    }

    /** TREC, MRPC: pick λ by k-fold on train, fit on all of train, score test. */
    TransferResult kFold(String name, float[][] trainX, int[] trainY, float[][] testX, int[] testY, boolean f1) {
        Feature[][] rows = LogisticRegression.features(trainX);
        Feature[][] testRows = LogisticRegression.features(testX);
        List<StratifiedFolds.Split> folds = StratifiedFolds.split(trainY, kfold, SEED);
        double[] scores = new double[L2_GRID.length];
        for (int r = 0; r < L2_GRID.length; r++) {
            double l2 = L2_GRID[r];
            double mean = folds.parallelStream()
                    .mapToDouble(s -> fit(rows, trainY, s.train(), l2).accuracy(rows, trainY, s.test())).sum() / folds.size();
            scores[r] = round2(100 * mean);
        }
        int best = argmax(scores);
        LogisticRegression clf = fit(rows, trainY, all(trainY.length), L2_GRID[best]);
        int[] testIdx = all(testY.length);
        Double f = f1 ? round2(100 * f1(clf, testRows, testY)) : null;
        return new TransferResult(name, scores[best], round2(100 * clf.accuracy(testRows, testY, testIdx)), trainY.length, testY.length, f,
                List.of(L2_GRID[best]));
    }

    /** SST2: pick λ on dev, score test with the model fitted at that λ. */
    TransferResult split(String name, float[][] trainX, int[] trainY, float[][] devX, int[] devY, float[][] testX, int[] testY) {
        Feature[][] rows = LogisticRegression.features(trainX);
        Feature[][] devRows = LogisticRegression.features(devX);
        Feature[][] testRows = LogisticRegression.features(testX);
        int[] trainIdx = all(trainY.length);
        LogisticRegression[] fits = new LogisticRegression[L2_GRID.length];
        double[] scores = new double[L2_GRID.length];
        IntStream.range(0, L2_GRID.length).parallel().forEach(r -> fits[r] = fit(rows, trainY, trainIdx, L2_GRID[r]));
        for (int r = 0; r < L2_GRID.length; r++) {
            scores[r] = round2(100 * fits[r].accuracy(devRows, devY, all(devY.length)));
        }
        int best = argmax(scores);
        return new TransferResult(name, scores[best], round2(100 * fits[best].accuracy(testRows, testY, all(testY.length))), devY.length,
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
    static double f1(LogisticRegression clf, Feature[][] rows, int[] y) {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < y.length; i++) {
            int p = clf.predict(rows[i]);
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

    /** Python's {@code round(x, 2)}: the exact binary value rounded, ties to even. */
    static double round2(double x) {
        return new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
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

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
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
