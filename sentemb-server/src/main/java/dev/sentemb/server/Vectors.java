package dev.sentemb.server;

import dev.sentemb.embed.Similarity;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** What the APIs do to a vector after the model: normalise, shorten ({@code dimensions}), encode as base64. */
final class Vectors {
    private Vectors() {}

    /**
     * The vector as the request asks: the first {@code dimensions} values (all when null), then scaled to unit
     * length when {@code normalize}; the library's own normalisation, so a full-length normalised vector is
     * bit for bit the library's.
     */
    static float[] shape(float[] v, Integer dimensions, boolean normalize) {
        float[] out = dimensions != null && dimensions < v.length ? java.util.Arrays.copyOf(v, dimensions) : v.clone();
        if (normalize) {
            Similarity.normalize(out);
        }
        return out;
    }

    /** OpenAI's base64 encoding: the float32 values little-endian, base64 of the bytes. */
    static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }
}
