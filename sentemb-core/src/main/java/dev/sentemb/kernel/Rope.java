package dev.sentemb.kernel;

import java.util.Objects;

/**
 * Rotary position embedding of one model: pair layout, how many leading dims of each head rotate,
 * and the per-pair inverse frequencies θ_i = base^(-2i/dims) (already divided by any linear scaling
 * factor and per-frequency factors). Angles are formed in fp32 as Hugging Face does.
 *
 * <p>The cosines and sines of a position are the same in every layer and for queries and keys alike, so
 * they are computed once per position and kept (a table grown to the largest position seen, up to
 * {@link #MAX_TABLE_POSITIONS}; beyond it they are computed per row): every layer of every pass otherwise
 * took two trigonometric calls per pair and row, about 1.5 % of a pass. The table holds exactly the values
 * the per-row computation gives, so the rotated bits do not change.
 */
public final class Rope {
    /** Positions at or past this are rotated without the table (at the cap, a 256-wide head's cos and sin take 8 MB). */
    static final int MAX_TABLE_POSITIONS = 1 << 13;

    private final RopeStyle style;
    private final int dims;
    private final float[] invFreq;
    /** cos and sin of position p, pair i at [p·dims/2 + i]; replaced whole when it grows (readers never lock). */
    private volatile Table table = new Table(0, new float[0], new float[0]);

    private record Table(int positions, float[] cos, float[] sin) {}

    public Rope(RopeStyle style, int dims, float[] invFreq) {
        this.style = Objects.requireNonNull(style, "style");
        if (dims <= 0 || dims % 2 != 0 || invFreq.length != dims / 2) {
            throw new IllegalArgumentException("rope dims must be even and match " + invFreq.length + " frequencies, got " + dims);
        }
        this.dims = dims;
        this.invFreq = invFreq.clone();
    }

    /**
     * @param base        rope.freq_base
     * @param linearScale positions are divided by this (1 = none)
     * @param freqFactors optional per-pair divisors (llama3-style rope_freqs), or null
     */
    public static Rope of(RopeStyle style, int dims, float base, float linearScale, float[] freqFactors) {
        float[] inv = new float[dims / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / (float) dims;
            float f = 1f / (float) Math.pow(base, exponent);
            if (freqFactors != null) {
                f /= freqFactors[i];
            }
            inv[i] = f / linearScale;
        }
        return new Rope(style, dims, inv);
    }

    public RopeStyle style() {
        return style;
    }

    public int dims() {
        return dims;
    }

    /** A copy of the per-pair inverse frequencies. */
    public float[] invFreq() {
        return invFreq.clone();
    }

    /** Rotates x[t][h·headDim ..] for every row t (position positions[t]) and each of {@code heads} heads. */
    void apply(float[] x, int rowFrom, int rowTo, int heads, int headDim, int[] positions) {
        rotate(x, rowFrom, rowTo, heads, headDim, positions, 1f);
    }

    /**
     * Backward of {@link #apply}: a rotation's transpose is the rotation by the opposite angle, so the
     * gradient dx [rows × heads·headDim] is rotated back in place.
     */
    void applyTransposed(float[] dx, int rowFrom, int rowTo, int heads, int headDim, int[] positions) {
        rotate(dx, rowFrom, rowTo, heads, headDim, positions, -1f);
    }

    private void rotate(float[] x, int rowFrom, int rowTo, int heads, int headDim, int[] positions, float sign) {
        int half = dims / 2;
        int maxPos = 0;
        for (int t = rowFrom; t < rowTo; t++) {
            maxPos = Math.max(maxPos, positions[t]);
        }
        Table tab = tableFor(maxPos);
        float[] ownCos = null, ownSin = null; // a row past the table's positions
        int width = heads * headDim;
        for (int t = rowFrom; t < rowTo; t++) {
            int pos = positions[t];
            float[] cos = tab.cos, sin = tab.sin;
            int c0 = pos * half;
            if (pos < 0 || pos >= tab.positions) {
                if (ownCos == null) {
                    ownCos = new float[half];
                    ownSin = new float[half];
                }
                angles(pos, ownCos, ownSin, 0);
                cos = ownCos;
                sin = ownSin;
                c0 = 0;
            }
            for (int h = 0; h < heads; h++) {
                int base = t * width + h * headDim;
                for (int i = 0; i < half; i++) {
                    int i0 = style == RopeStyle.NORM ? base + 2 * i : base + i;
                    int i1 = style == RopeStyle.NORM ? i0 + 1 : i0 + half;
                    float c = cos[c0 + i];
                    float sn = sign * sin[c0 + i]; // ±1 times: exact
                    float a = x[i0];
                    float b = x[i1];
                    x[i0] = a * c - b * sn;
                    x[i1] = b * c + a * sn;
                }
            }
        }
    }

    /** cos and sin of every pair's angle at {@code pos}, into cos[o ..] and sin[o ..]. */
    private void angles(int pos, float[] cos, float[] sin, int o) {
        float p = pos;
        for (int i = 0; i < invFreq.length; i++) {
            float angle = p * invFreq[i];
            cos[o + i] = (float) Math.cos(angle);
            sin[o + i] = (float) Math.sin(angle);
        }
    }

    /** The table, grown (doubling, from 64 positions) to cover {@code maxPos} when that is under the cap. */
    private Table tableFor(int maxPos) {
        Table t = table;
        if (maxPos < t.positions || maxPos >= MAX_TABLE_POSITIONS) {
            return t;
        }
        synchronized (this) {
            t = table;
            if (maxPos < t.positions) {
                return t;
            }
            int n = Math.max(64, t.positions);
            while (n <= maxPos) {
                n *= 2;
            }
            n = Math.min(n, MAX_TABLE_POSITIONS);
            int half = dims / 2;
            float[] cos = java.util.Arrays.copyOf(t.cos, n * half);
            float[] sin = java.util.Arrays.copyOf(t.sin, n * half);
            for (int p = t.positions; p < n; p++) {
                angles(p, cos, sin, p * half);
            }
            Table grown = new Table(n, cos, sin);
            table = grown;
            return grown;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rope r && r.style == style && r.dims == dims && java.util.Arrays.equals(r.invFreq, invFreq);
    }

    @Override
    public int hashCode() {
        return Objects.hash(style, dims, java.util.Arrays.hashCode(invFreq));
    }

    @Override
    public String toString() {
        return "Rope[" + style + ", " + dims + " dims]";
    }
}
