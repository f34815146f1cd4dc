package dev.sentemb.train;

/**
 * AdamW as torch.optim.AdamW computes it (decoupled weight decay, bias-corrected moments), over a list of
 * parameter arrays updated in place, with the global gradient-norm clipping HF's Trainer applies before
 * each step (max_grad_norm; ≤ 0: none). State is two moments per parameter and the step count.
 *
 * <pre>
 *   g ← g · min(1, maxNorm / (‖g‖ + 1e-6))       (over all parameters together)
 *   θ ← θ · (1 − lr·λ)
 *   m ← β1 m + (1 − β1) g;   v ← β2 v + (1 − β2) g²
 *   θ ← θ − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε)
 * </pre>
 */
public final class AdamW {
    private final double beta1, beta2, eps, weightDecay;
    private final float[][] m, v;
    private long step;

    public AdamW(int[] sizes, double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        m = new float[sizes.length][];
        v = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            m[i] = new float[sizes[i]];
            v[i] = new float[sizes[i]];
        }
    }

    /** The global L2 norm of the gradients (computed in double). */
    public static double norm(float[][] grads) {
        double s = 0;
        for (float[] g : grads) {
            for (float x : g) {
                s += (double) x * x;
            }
        }
        return Math.sqrt(s);
    }

    /**
     * Clips (when maxNorm &gt; 0) and applies one step of learning rate {@code lr}; returns the gradient
     * norm before clipping. A non-finite norm is refused before anything changes.
     */
    public double step(float[][] params, float[][] grads, double lr, double maxNorm) {
        double norm = norm(grads);
        if (!Double.isFinite(norm)) {
            throw new TrainingDivergedException("the gradient norm is " + norm + "; no parameter was changed");
        }
        double clip = maxNorm > 0 ? Math.min(1, maxNorm / (norm + 1e-6)) : 1;
        step++;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        for (int p = 0; p < params.length; p++) {
            float[] w = params[p], g = grads[p], mp = m[p], vp = v[p];
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] * clip;
                double wi = w[i] * (1 - lr * weightDecay);
                double mi = beta1 * mp[i] + (1 - beta1) * gi;
                double vi = beta2 * vp[i] + (1 - beta2) * gi * gi;
                mp[i] = (float) mi;
                vp[i] = (float) vi;
                w[i] = (float) (wi - lr * (mi / c1) / (Math.sqrt(vi / c2) + eps));
            }
        }
        return norm;
    }

    public long steps() {
        return step;
    }

    /** The moments and step count, for a checkpoint. */
    float[][] firstMoments() {
        return m;
    }

    float[][] secondMoments() {
        return v;
    }

    void restore(long steps, float[][] first, float[][] second) {
        for (int p = 0; p < m.length; p++) {
            if (first[p].length != m[p].length || second[p].length != v[p].length) {
                throw new IllegalArgumentException("optimizer state of parameter " + p + " has the wrong size");
            }
            System.arraycopy(first[p], 0, m[p], 0, m[p].length);
            System.arraycopy(second[p], 0, v[p], 0, v[p].length);
        }
        this.step = steps;
    }
}
