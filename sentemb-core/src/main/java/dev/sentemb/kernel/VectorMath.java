package dev.sentemb.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised primitives on slices of float arrays, shared by the row-wise kernels.
 *
 * <p>Everything here is deterministic bit for bit: sums of lanes are taken in a fixed order and
 * {@link #exp} is a polynomial built from fma, so results do not change when the JIT replaces the
 * Vector API's Java fallback by intrinsics (whose lane reductions and transcendental functions round
 * differently). Together with the fixed k-order of the matmul, that makes a sequence's hidden states
 * identical whatever it is packed with, from the first call on.
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorMath() {}

    /** Σ of the lanes, lane 0 first. */
    static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < L; i++) {
            s += v.lane(i);
        }
        return s;
    }

    /**
     * e^x per lane, within 2 ulp over the normal range (Cephes expf: x = n·ln2 + r, |r| ≤ ln2/2, a
     * degree-6 polynomial for e^r, 2^n built in the exponent bits). Inputs are clamped to
     * [-87, 88], so very negative x gives ~1e-38 rather than 0 and large x stays finite.
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(-87f).min(88f);
        FloatVector t = x.fma(1.44269504088896341f, 12582912f); // round(x·log2 e) + 1.5·2^23
        FloatVector n = t.sub(12582912f);
        FloatVector r = n.fma(c(-0.693359375f), x);
        r = n.fma(c(2.12194440e-4f), r);
        FloatVector p = r.fma(c(1.9875691500e-4f), c(1.3981999507e-3f));
        p = p.fma(r, c(8.3334519073e-3f));
        p = p.fma(r, c(4.1665795894e-2f));
        p = p.fma(r, c(1.6666665459e-1f));
        p = p.fma(r, c(5.0000001201e-1f));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        IntVector pow2 = ((IntVector) t.reinterpretAsInts()).sub(0x4B400000 - 127).lanewise(VectorOperators.LSHL, 23);
        return y.mul(pow2.reinterpretAsFloats());
    }

    private static FloatVector c(float value) {
        return FloatVector.broadcast(S, value);
    }

    /** Σ a[ao+i]·b[bo+i] for i < n. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            acc = FloatVector.fromArray(S, a, ao + i, m).fma(FloatVector.fromArray(S, b, bo + i, m), acc);
        }
        return sumLanes(acc);
    }

    /** y[yo+i] += alpha·x[xo+i] for i < n. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(va, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
        }
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

    /** max of x[o+i] for i < n (n ≥ 1); exact in any order. */
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

    /**
     * x[o+i] = exp(x[o+i] - shift) for i < n; returns their sum. One loop with a masked last step: a
     * second call site for the tail was left out of line by the JIT, and every call then boxed its
     * vectors (hundreds of MB of garbage per forward pass, one softmax row at a time).
     */
    static float expShifted(float[] x, int o, int n, float shift) {
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector e = exp(FloatVector.fromArray(S, x, o + i, m).sub(shift));
            e.intoArray(x, o + i, m);
            acc = acc.add(e, m);
        }
        return sumLanes(acc);
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
     * gate[o+i] = silu(gate[o+i]) · up[o+i], silu(g) = g / (1 + e^-g). Whole vectors, then the last
     * n mod L elements one at a time by {@link #siluScalar}, which does each lane's operations in the same
     * order and so gives the same bits: with a masked step per vector the loop ran at half this speed under
     * AVX2, and a second vector call site for the tail was left out of line by the JIT.
     */
    static void siluMul(float[] gate, float[] up, int o, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, gate, o + i);
            silu(g).mul(FloatVector.fromArray(S, up, o + i)).intoArray(gate, o + i);
        }
        for (; i < n; i++) {
            gate[o + i] = siluScalar(gate[o + i]) * up[o + i];
        }
    }

    /** As {@link #siluMul} with gelu (tanh approximation, in PyTorch's order of operations) for silu. */
    static void geluTanhMul(float[] gate, float[] up, int o, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, gate, o + i);
            geluTanh(g).mul(FloatVector.fromArray(S, up, o + i)).intoArray(gate, o + i);
        }
        for (; i < n; i++) {
            gate[o + i] = geluTanhScalar(gate[o + i]) * up[o + i];
        }
    }

    private static final float GELU_BETA = (float) (Math.sqrt(2) * (2 / Math.sqrt(Math.PI)) * 0.5);
    private static final float GELU_KAPPA = 0.044715f;

    /** tanh through {@link #exp} (1 + tanh(y) = 2 − 2/(e^{2y} + 1)), so masked tails compute what full vectors do. */
    private static FloatVector geluTanh(FloatVector x) {
        FloatVector inner = x.mul(x).mul(x).mul(GELU_KAPPA).add(x).mul(GELU_BETA);
        FloatVector onePlusTanh = c(2f).sub(c(2f).div(exp(inner.mul(2f)).add(1f)));
        return x.mul(0.5f).mul(onePlusTanh);
    }

    private static FloatVector silu(FloatVector g) {
        return g.div(exp(g.neg()).add(1f));
    }

    /** One lane of {@link #exp}: the same operations in the same order, so the same bits. */
    static float expScalar(float x) {
        x = Math.min(Math.max(x, -87f), 88f);
        float t = Math.fma(x, 1.44269504088896341f, 12582912f);
        float n = t - 12582912f;
        float r = Math.fma(n, -0.693359375f, x);
        r = Math.fma(n, 2.12194440e-4f, r);
        float p = Math.fma(r, 1.9875691500e-4f, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        float y = Math.fma(p, r * r, r) + 1f;
        int pow2 = (Float.floatToRawIntBits(t) - (0x4B400000 - 127)) << 23;
        return y * Float.intBitsToFloat(pow2);
    }

    /** One lane of {@link #silu}. */
    private static float siluScalar(float g) {
        return g / (expScalar(-g) + 1f);
    }

    /** One lane of {@link #geluTanh}. */
    private static float geluTanhScalar(float x) {
        float inner = (x * x * x * GELU_KAPPA + x) * GELU_BETA;
        float onePlusTanh = 2f - 2f / (expScalar(inner * 2f) + 1f);
        return x * 0.5f * onePlusTanh;
    }
}
