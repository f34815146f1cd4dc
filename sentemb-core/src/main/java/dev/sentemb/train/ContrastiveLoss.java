package dev.sentemb.train;

/**
 * SimCSE's supervised loss, as the reference computes it: for anchors z1, positives z2 and (optionally)
 * hard negatives z3, each [B × d], the logits are cos(z1_i, c_j) / τ over the candidates c = [z2; z3]
 * (every other row's positive and negative is an in-batch negative), and the loss is the mean
 * cross-entropy with target j = i. Forward and backward side by side, in double precision:
 *
 * <pre>
 *   n = z / ‖z‖                     (rows)
 *   l[i][j] = n1_i · nc_j / τ       [B × C], C = B or 2B
 *   L = 1/B Σ_i (logsumexp_j l[i][j] − l[i][i])
 *   G = (softmax(l) − I) / B        dL/dl
 *   dn1_i = Σ_j G[i][j] nc_j / τ;  dnc_j = Σ_i G[i][j] n1_i / τ
 *   dz = (dn − (dn · n) n) / ‖z‖    (through the normalisation)
 * </pre>
 */
public final class ContrastiveLoss {
    private ContrastiveLoss() {}

    /** The loss and its gradient with respect to every embedding (same layout as the input). */
    public record Result(double loss, float[][] gradient) {}

    /**
     * @param z           embeddings: rows 0..B-1 anchors, B..2B-1 positives, then (when hardNegatives)
     *                    2B..3B-1 hard negatives
     * @param batch       B
     * @param temperature τ
     */
    public static Result compute(float[][] z, int batch, double temperature, boolean hardNegatives) {
        int groups = hardNegatives ? 3 : 2;
        if (z.length != groups * batch) {
            throw new IllegalArgumentException(z.length + " embeddings for a batch of " + batch + " " + (hardNegatives ? "triplets" : "pairs"));
        }
        int d = z[0].length;
        int candidates = (groups - 1) * batch;
        double[][] n = new double[z.length][d];
        double[] norm = new double[z.length];
        for (int r = 0; r < z.length; r++) {
            double s = 0;
            for (int i = 0; i < d; i++) {
                s += (double) z[r][i] * z[r][i];
            }
            norm[r] = Math.max(Math.sqrt(s), 1e-12);
            for (int i = 0; i < d; i++) {
                n[r][i] = z[r][i] / norm[r];
            }
        }
        double loss = 0;
        double[][] dn = new double[z.length][d];
        double[] row = new double[candidates];
        for (int a = 0; a < batch; a++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < candidates; j++) {
                double dot = 0;
                double[] c = n[batch + j];
                for (int i = 0; i < d; i++) {
                    dot += n[a][i] * c[i];
                }
                row[j] = dot / temperature;
                max = Math.max(max, row[j]);
            }
            double sum = 0;
            for (int j = 0; j < candidates; j++) {
                sum += Math.exp(row[j] - max);
            }
            double lse = max + Math.log(sum);
            loss += lse - row[a];
            for (int j = 0; j < candidates; j++) {
                double g = (Math.exp(row[j] - lse) - (j == a ? 1 : 0)) / batch / temperature;
                double[] c = n[batch + j];
                double[] dc = dn[batch + j];
                for (int i = 0; i < d; i++) {
                    dn[a][i] += g * c[i];
                    dc[i] += g * n[a][i];
                }
            }
        }
        float[][] dz = new float[z.length][d];
        for (int r = 0; r < z.length; r++) {
            double proj = 0;
            for (int i = 0; i < d; i++) {
                proj += dn[r][i] * n[r][i];
            }
            for (int i = 0; i < d; i++) {
                dz[r][i] = (float) ((dn[r][i] - proj * n[r][i]) / norm[r]);
            }
        }
        return new Result(loss / batch, dz);
    }
}
