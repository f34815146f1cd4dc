package dev.sentemb.model;

import java.util.Arrays;

/**
 * Final-norm hidden states of a packed batch ({@code hidden_states[-1]} in Hugging Face terms):
 * {@code hidden} is [T × dim] row-major and sequence i owns rows offsets[i] .. offsets[i+1]-1; {@code sides}
 * holds each sequence's side vector as the pass's hook left it (entries null without one).
 *
 * <p>With {@code lastOnly} the pass computed each sequence's last token alone (a last-token reader, see
 * {@link PassOptions#lastTokenOnly}): {@code hidden} is [sequences × dim], row i the last token of sequence i,
 * and the offsets still give the sequences' lengths. Reading any other row, or a mean, then fails rather than
 * return a state that was never finished.
 */
public record PackedHidden(float[] hidden, int[] offsets, int dim, float[][] sides, boolean lastOnly) {

    public PackedHidden(float[] hidden, int[] offsets, int dim) {
        this(hidden, offsets, dim, new float[offsets.length - 1][]);
    }

    public PackedHidden(float[] hidden, int[] offsets, int dim, float[][] sides) {
        this(hidden, offsets, dim, sides, false);
    }

    /** Sequence {@code sequence}'s side vector, or null. */
    public float[] side(int sequence) {
        return sides[sequence];
    }

    public int sequenceCount() {
        return offsets.length - 1;
    }

    public int length(int sequence) {
        return offsets[sequence + 1] - offsets[sequence];
    }

    /** The hidden state of token {@code token} of sequence {@code sequence}, a copy. */
    public float[] row(int sequence, int token) {
        java.util.Objects.checkIndex(token, length(sequence));
        if (lastOnly) {
            if (token != length(sequence) - 1) {
                throw onlyLast("token " + token + " of " + length(sequence));
            }
            return Arrays.copyOfRange(hidden, sequence * dim, (sequence + 1) * dim);
        }
        int from = (offsets[sequence] + token) * dim;
        return Arrays.copyOfRange(hidden, from, from + dim);
    }

    /** The state of the sequence's last token: the PromptEOL embedding. */
    public float[] lastToken(int sequence) {
        return row(sequence, length(sequence) - 1);
    }

    /** The mean of the states of all the sequence's tokens (a masked mean: no padding exists). */
    public float[] meanOf(int sequence) {
        return meanOf(sequence, null, 0);
    }

    /**
     * The mean over a cached prefix's tokens and then this sequence's: {@code prefixSum} is the prefix
     * rows' {@link #sumOf} (null: no prefix, then prefixLength is 0). Summed in double, row after row, so
     * it equals {@link #meanOf} of the whole prompt bit for bit.
     */
    public float[] meanOf(int sequence, double[] prefixSum, int prefixLength) {
        if ((prefixSum == null) != (prefixLength == 0)) {
            throw new IllegalArgumentException("a prefix of " + prefixLength + " rows needs its sum, and only then");
        }
        double[] sum = sumOf(sequence, prefixSum);
        float[] mean = new float[dim];
        int n = prefixLength + length(sequence);
        for (int i = 0; i < dim; i++) {
            mean[i] = (float) (sum[i] / n);
        }
        return mean;
    }

    /** The sequence's rows summed in double, in order, continuing from {@code start} (null: zeros). */
    public double[] sumOf(int sequence, double[] start) {
        if (lastOnly) {
            throw onlyLast("the sum of sequence " + sequence + "'s rows");
        }
        double[] sum = start == null ? new double[dim] : start.clone();
        for (int t = offsets[sequence]; t < offsets[sequence + 1]; t++) {
            for (int i = 0; i < dim; i++) {
                sum[i] += hidden[t * dim + i];
            }
        }
        return sum;
    }

    /** The same states without the first {@code n} rows of every sequence (each must be longer than n). */
    public PackedHidden dropLeading(int n) {
        if (lastOnly) {
            throw onlyLast("rows after the first " + n);
        }
        int[] kept = new int[offsets.length];
        float[] rows = new float[(offsets[offsets.length - 1] - n * sequenceCount()) * dim];
        for (int s = 0; s < sequenceCount(); s++) {
            if (length(s) <= n) {
                throw new IllegalArgumentException("sequence " + s + " has " + length(s) + " rows, cannot drop " + n);
            }
            kept[s + 1] = kept[s] + length(s) - n;
            System.arraycopy(hidden, (offsets[s] + n) * dim, rows, kept[s] * dim, (length(s) - n) * dim);
        }
        return new PackedHidden(rows, kept, dim, sides);
    }

    private static IllegalStateException onlyLast(String what) {
        return new IllegalStateException("this pass computed each prompt's last token alone (options for last-token "
                + "pooling), so " + what + " is not available; run it with options that keep every token");
    }
}
