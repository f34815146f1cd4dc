package dev.sentemb.eval.transfer;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.util.Random;

/**
 * L2-regularised logistic regression on frozen features, from LIBLINEAR's Java port (BSD-3-Clause).
 *
 * <p>SentEval (as the reference runs it, {@code usepytorch=True, nhid=0}) trains a linear layer with
 * Adam on the mean cross-entropy with weight decay λ ∈ {1e-5, 1e-4, 1e-3, 1e-2}, i.e. it minimises
 * {@code mean(loss) + λ/2·‖w‖²} (bias included). LIBLINEAR minimises {@code ½‖w‖² + C·Σ loss}; dividing
 * by {@code C·n} shows the two agree when {@code C = 1/(λ·n)}, n the number of training samples. So λ
 * keeps SentEval's grid and meaning here; LIBLINEAR's trust-region Newton solves that problem to its
 * default tolerance (0.01, relative gradient norm), whose optimum SentEval's early-stopped Adam
 * approaches. More than two classes (TREC) are one-vs-rest, as in scikit-learn's liblinear
 * solver that SentEval uses without PyTorch.
 */
public final class LogisticRegression {
    static {
        Linear.disableDebugOutput();
    }

    private final Model model;

    private LogisticRegression(Model model) {
        this.model = model;
    }

    /** Rows of LIBLINEAR features, with the constant bias feature appended; built once and shared by every fit. */
    public static Feature[][] features(float[][] x) {
        Feature[][] rows = new Feature[x.length][];
        for (int i = 0; i < x.length; i++) {
            int d = x[i].length;
            Feature[] r = new Feature[d + 1];
            for (int j = 0; j < d; j++) {
                r[j] = new FeatureNode(j + 1, x[i][j]);
            }
            r[d] = new FeatureNode(d + 1, 1.0);
            rows[i] = r;
        }
        return rows;
    }

    /** Fits on the rows {@code idx} of {@code rows} with SentEval's weight decay {@code l2}. */
    public static LogisticRegression fit(Feature[][] rows, int[] labels, int[] idx, double l2) {
        Problem p = new Problem();
        p.l = idx.length;
        p.n = rows[idx[0]].length; // the bias column is an ordinary (regularised) feature, as in PyTorch
        p.bias = -1;
        p.x = new Feature[idx.length][];
        p.y = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            p.x[i] = rows[idx[i]];
            p.y[i] = labels[idx[i]];
        }
        Parameter param = new Parameter(SolverType.L2R_LR, 1.0 / (l2 * idx.length), 0.01);
        param.setRandom(new Random(1111));
        return new LogisticRegression(Linear.train(p, param));
    }

    public int predict(Feature[] row) {
        return (int) Linear.predict(model, row);
    }

    /** Fraction of the rows {@code idx} classified correctly. */
    public double accuracy(Feature[][] rows, int[] labels, int[] idx) {
        int ok = 0;
        for (int i : idx) {
            if (predict(rows[i]) == labels[i]) {
                ok++;
            }
        }
        return (double) ok / idx.length;
    }
}
