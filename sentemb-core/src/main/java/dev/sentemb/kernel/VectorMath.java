package dev.sentemb.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vectorised primitives on slices of float arrays, shared by the row-wise kernels. */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorMath() {}

    /** Σ a[ao+i]·b[bo+i] for i < n. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /** y[yo+i] += alpha·x[xo+i] for i < n. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(va, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** Σ x[o+i]² for i < n. */
    static float sumOfSquares(float[] x, int o, int n) {
        return dot(x, o, x, o, n);
    }

    /** x[o+i] *= s for i < n. */
    static void scale(float[] x, int o, int n, float s) {
        FloatVector vs = FloatVector.broadcast(S, s);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, o + i).mul(vs).intoArray(x, o + i);
        }
        for (; i < n; i++) {
            x[o + i] *= s;
        }
    }

    /** max of x[o+i] for i < n (n ≥ 1). */
    static float max(float[] x, int o, int n) {
        float m = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (n >= L) {
            FloatVector vm = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int bound = S.loopBound(n); i < bound; i += L) {
                vm = vm.max(FloatVector.fromArray(S, x, o + i));
            }
            m = vm.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[o + i]);
        }
        return m;
    }

    /** x[o+i] = exp(x[o+i] - shift) for i < n; returns their sum. */
    static float expShifted(float[] x, int o, int n, float shift) {
        FloatVector vs = FloatVector.broadcast(S, shift);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, o + i).sub(vs).lanewise(VectorOperators.EXP);
            e.intoArray(x, o + i);
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[o + i] - shift);
            x[o + i] = e;
            sum += e;
        }
        return sum;
    }

    /** In-place softmax of x[o .. o+n). */
    static void softmax(float[] x, int o, int n) {
        float m = max(x, o, n);
        float sum = expShifted(x, o, n, m);
        scale(x, o, n, 1f / sum);
    }

    /** dst[o+i] += src[o+i] for i < n. */
    static void add(float[] dst, float[] src, int o, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, dst, o + i).add(FloatVector.fromArray(S, src, o + i)).intoArray(dst, o + i);
        }
        for (; i < n; i++) {
            dst[o + i] += src[o + i];
        }
    }

    /** x[xo+i] += b[i] for i < n. */
    static void addTo(float[] x, int xo, float[] b, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).add(FloatVector.fromArray(S, b, i)).intoArray(x, xo + i);
        }
        for (; i < n; i++) {
            x[xo + i] += b[i];
        }
    }

    /** out[o+i] = x[o+i] · inv · w[i] (the RMSNorm output step). */
    static void scaleByWeight(float[] x, int o, float inv, float[] w, float[] out, int n) {
        FloatVector vi = FloatVector.broadcast(S, inv);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, o + i).mul(vi).mul(FloatVector.fromArray(S, w, i)).intoArray(out, o + i);
        }
        for (; i < n; i++) {
            out[o + i] = (x[o + i] * inv) * w[i];
        }
    }

    /**
     * gate[o+i] = silu(gate[o+i]) · up[o+i], silu(g) = g / (1 + e^-g). The tail goes through a masked
     * vector too, so every element gets the same exp whatever chunk it falls in (batch invariance).
     */
    static void siluMul(float[] gate, float[] up, int o, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, gate, o + i);
            silu(g).mul(FloatVector.fromArray(S, up, o + i)).intoArray(gate, o + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector g = FloatVector.fromArray(S, gate, o + i, m);
            silu(g).mul(FloatVector.fromArray(S, up, o + i, m)).intoArray(gate, o + i, m);
        }
    }

    /** As {@link #siluMul} with gelu (tanh approximation, in PyTorch's order of operations) for silu. */
    static void geluTanhMul(float[] gate, float[] up, int o, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, gate, o + i);
            geluTanh(g).mul(FloatVector.fromArray(S, up, o + i)).intoArray(gate, o + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector g = FloatVector.fromArray(S, gate, o + i, m);
            geluTanh(g).mul(FloatVector.fromArray(S, up, o + i, m)).intoArray(gate, o + i, m);
        }
    }

    private static final float GELU_BETA = (float) (Math.sqrt(2) * (2 / Math.sqrt(Math.PI)) * 0.5);
    private static final float GELU_KAPPA = 0.044715f;

    private static FloatVector geluTanh(FloatVector x) {
        FloatVector inner = x.mul(x).mul(x).mul(GELU_KAPPA).add(x).mul(GELU_BETA);
        return x.mul(0.5f).mul(inner.lanewise(VectorOperators.TANH).add(1f));
    }

    private static FloatVector silu(FloatVector g) {
        return g.div(g.neg().lanewise(VectorOperators.EXP).add(1f));
    }
}
