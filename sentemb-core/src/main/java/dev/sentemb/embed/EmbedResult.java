package dev.sentemb.embed;

/**
 * The outcome for one input of {@link Encoder#embedEach}: a vector, or the reason this one input
 * could not be embedded (the others are unaffected).
 */
public record EmbedResult(float[] vector, String error) {
    public static EmbedResult ok(float[] v) {
        return new EmbedResult(v, null);
    }

    public static EmbedResult failed(String why) {
        return new EmbedResult(null, why);
    }

    public boolean isOk() {
        return error == null;
    }
}
