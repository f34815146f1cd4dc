package dev.sentemb.weights;

import java.lang.reflect.Array;

/**
 * A GGUF metadata array as read from the file, kept in a compact primitive Java array so that a
 * 150k-entry vocabulary costs one allocation per string and none per number.
 *
 * <p>{@code values} is, by element type: UINT8/INT8 {@code byte[]}, UINT16/INT16 {@code short[]},
 * UINT32/INT32 {@code int[]}, UINT64/INT64 {@code long[]} (unsigned types hold the raw bits),
 * FLOAT32 {@code float[]}, FLOAT64 {@code double[]}, BOOL {@code boolean[]}, STRING
 * {@code String[]}, ARRAY {@code GgufArray[]} (nested arrays). Treat it as read-only: it is shared
 * with the {@link GgufMetadata} that holds it.
 */
public record GgufArray(GgufValueType elementType, Object values) {
    public GgufArray {
        if (elementType == null || values == null || !values.getClass().isArray()) {
            throw new IllegalArgumentException("GgufArray needs an element type and a Java array");
        }
    }

    /** Number of elements. */
    public int length() {
        return Array.getLength(values);
    }

    @Override
    public String toString() {
        return "array<" + elementType.label() + ">[" + length() + "]";
    }
}
