package dev.sentemb.eval;

import org.hipparchus.stat.correlation.PearsonsCorrelation;
import org.hipparchus.stat.correlation.SpearmansCorrelation;

/** Spearman (ties ranked as averages, as scipy does) and Pearson, from Hipparchus. */
public final class Correlation {
    private Correlation() {}

    public static double spearman(double[] x, double[] y) {
        return new SpearmansCorrelation().correlation(x, y);
    }

    public static double pearson(double[] x, double[] y) {
        return new PearsonsCorrelation().correlation(x, y);
    }
}
