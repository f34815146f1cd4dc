package dev.sentemb.kernel;

import java.util.Objects;

/**
 * Rotary position embedding of one model: pair layout, how many leading dims of each head rotate,
 * and the per-pair inverse frequencies θ_i = base^(-2i/dims) (already divided by any linear scaling
 * factor and per-frequency factors). Angles are formed in fp32 as Hugging Face does.
 */
public record Rope(RopeStyle style, int dims, float[] invFreq) {
    public Rope {
        Objects.requireNonNull(style, "style");
        if (dims <= 0 || dims % 2 != 0 || invFreq.length != dims / 2) {
            throw new IllegalArgumentException("rope dims must be even and match " + invFreq.length + " frequencies, got " + dims);
        }
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
        float[] cos = new float[half];
        float[] sin = new float[half];
        int width = heads * headDim;
        for (int t = rowFrom; t < rowTo; t++) {
            float pos = positions[t];
            for (int i = 0; i < half; i++) {
                float angle = pos * invFreq[i];
                cos[i] = (float) Math.cos(angle);
                sin[i] = sign * (float) Math.sin(angle);
            }
            for (int h = 0; h < heads; h++) {
                int base = t * width + h * headDim;
                for (int i = 0; i < half; i++) {
                    int i0 = style == RopeStyle.NORM ? base + 2 * i : base + i;
                    int i1 = style == RopeStyle.NORM ? i0 + 1 : i0 + half;
                    float a = x[i0];
                    float b = x[i1];
                    x[i0] = a * cos[i] - b * sin[i];
                    x[i1] = b * cos[i] + a * sin[i];
                }
            }
        }
    }
}
