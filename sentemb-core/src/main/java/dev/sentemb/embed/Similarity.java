package dev.sentemb.embed;

/** Vector helpers for embeddings, in double precision for stable sums. */
public final class Similarity {
    private Similarity() {}

    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors differ in length: " + a.length + " vs " + b.length);
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0.0 : dot / Math.sqrt(na * nb);
    }

    /** The matrix of pairwise cosines. */
    public static double[][] cosineMatrix(float[][] v) {
        double[][] m = new double[v.length][v.length];
        for (int i = 0; i < v.length; i++) {
            for (int j = i; j < v.length; j++) {
                m[i][j] = m[j][i] = cosine(v[i], v[j]);
            }
        }
        return m;
    }

    /** Scales v to unit L2 norm in place (a zero vector stays zero) and returns it. */
    public static float[] normalize(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        if (n > 0) {
            float inv = (float) (1.0 / Math.sqrt(n));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }
}
