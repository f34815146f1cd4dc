package dev.sentemb.kernel;

/**
 * Keys and values of a shared prompt prefix for one attention layer: {@code length} rows of
 * {@code kvHeads·headDim} values each, keys already rotated to positions 0 .. length-1. Every
 * sequence of a packed batch attends to these rows before its own, as if they were its first tokens.
 * Immutable by contract: kernels only read it, so one prefix serves any number of concurrent batches.
 */
public record KvPrefix(float[] keys, float[] values, int length) {
    /** No prefix: sequences start at position 0. */
    public static final KvPrefix EMPTY = new KvPrefix(new float[0], new float[0], 0);

    public KvPrefix {
        if (length < 0 || keys.length != values.length || (length == 0 ? keys.length != 0 : keys.length % length != 0)) {
            throw new IllegalArgumentException("prefix of " + length + " rows with " + keys.length + " keys and " + values.length + " values");
        }
    }

    /** Checks the prefix's row width against an attention shape. */
    void requireWidth(AttentionShape shape) {
        if ((long) length * shape.kvWidth() != keys.length) {
            throw new IllegalArgumentException("prefix of " + length + " rows has " + keys.length + " keys, expected width " + shape.kvWidth());
        }
    }
}
