package dev.sentemb.model;

/**
 * The residual stream of a packed pass between two blocks (or the attention's heads before their output
 * projection), as a {@link LayerHook} sees it: {@code x} is [T × dim] row-major, sequence s owns rows offsets[s] .. offsets[s+1]-1, and row t is at
 * absolute position positions[t] of its prompt (after any cached prefix). Writes go into the pass.
 */
public final class LayerStates {
    private final float[] x;
    private final PackedBatch batch;
    private final int dim;

    LayerStates(float[] x, PackedBatch batch, int dim) {
        this.x = x;
        this.batch = batch;
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    /** Sequence {@code s}'s side vector (the caller's, or what an earlier call of the hook left), or null. */
    public float[] side(int s) {
        return batch.sides()[s];
    }

    /** Replaces sequence {@code s}'s side vector; the read-out sees the last one set. */
    public void setSide(int s, float[] values) {
        batch.sides()[s] = values;
    }

    public int sequenceCount() {
        return batch.sequenceCount();
    }

    /** Rows of sequence {@code s} in this pass (its own tokens, without a cached prefix). */
    public int length(int s) {
        return batch.offsets()[s + 1] - batch.offsets()[s];
    }

    /** The absolute position in its prompt of token {@code token} of sequence {@code s}. */
    public int position(int s, int token) {
        return batch.positions()[rowOf(s, token)];
    }

    /** A copy of token {@code token}'s state in sequence {@code s}. */
    public float[] row(int s, int token) {
        float[] r = new float[dim];
        System.arraycopy(x, rowOf(s, token) * dim, r, 0, dim);
        return r;
    }

    /** Replaces token {@code token}'s state in sequence {@code s}; later blocks see the new values. */
    public void setRow(int s, int token, float[] values) {
        if (values.length != dim) {
            throw new IllegalArgumentException("a state has " + dim + " values, got " + values.length);
        }
        System.arraycopy(values, 0, x, rowOf(s, token) * dim, dim);
    }

    private int rowOf(int s, int token) {
        java.util.Objects.checkIndex(token, length(s));
        return batch.offsets()[s] + token;
    }
}
