package dev.sentemb.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * Reads a Hugging Face {@code config.json} into a {@link ModelConfig}, naming the missing key and the
 * file when a required field is absent. Understands both rope spellings: transformers 5's
 * {@code rope_parameters} object and the older top-level {@code rope_theta}/{@code rope_scaling}.
 */
final class HfConfig {
    private final JsonNode c;
    private final Path file;

    HfConfig(JsonNode config, Path file) {
        this.c = config;
        this.file = file;
    }

    String modelType() {
        return c.path("model_type").asText("");
    }

    int requiredInt(String key) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            throw new ModelFormatException(file + ": missing integer '" + key + "'");
        }
        return integer(key, n);
    }

    int optInt(String key, int dflt) {
        JsonNode n = c.get(key);
        return n == null || n.isNull() ? dflt : integer(key, n);
    }

    /** A finite number; a string, NaN or infinity is an error (a "NaN" epsilon would make every embedding NaN). */
    double optDouble(String key, double dflt) {
        JsonNode n = c.get(key);
        return n == null || n.isNull() ? dflt : number(key, n);
    }

    /** A JSON boolean; anything else (a string such as "abc") is an error, not a default. */
    boolean optBool(String key, boolean dflt) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new ModelFormatException(file + ": '" + key + "' must be true or false, found " + quoted(n));
        }
        return n.booleanValue();
    }

    String optString(String key, String dflt) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw new ModelFormatException(file + ": '" + key + "' must be a string, found " + quoted(n));
        }
        return n.textValue();
    }

    private int integer(String key, JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new ModelFormatException(file + ": '" + key + "' must be an integer within ±2^31, found " + quoted(n));
        }
        return n.intValue();
    }

    private double number(String key, JsonNode n) {
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw new ModelFormatException(file + ": '" + key + "' must be a finite number, found " + quoted(n));
        }
        return n.doubleValue();
    }

    /** A value as found, cut to 60 characters so a hostile file cannot flood the message. */
    static String quoted(JsonNode n) {
        return dev.sentemb.SentembException.capped(n.toString());
    }

    /** An error about this file. */
    ModelFormatException error(String what) {
        return new ModelFormatException(file + ": " + what);
    }

    /** The config's shape checked, with the file named in the error. */
    ModelConfig checked(java.util.function.Supplier<ModelConfig> build) {
        try {
            return build.get();
        } catch (ModelFormatException e) {
            throw e.getMessage().startsWith(file.toString()) ? e : new ModelFormatException(file + ": " + e.getMessage());
        }
    }

    /** rope_parameters (transformers 5) or rope_scaling (older), whichever the file has. */
    private JsonNode rope() {
        JsonNode p = c.get("rope_parameters");
        if (p != null && p.isObject()) {
            return p;
        }
        JsonNode s = c.get("rope_scaling");
        return s != null && s.isObject() ? s : null;
    }

    float ropeTheta(double dflt) {
        JsonNode r = rope();
        if (r != null && r.has("rope_theta")) {
            return (float) number("rope_theta", r.get("rope_theta"));
        }
        return (float) optDouble("rope_theta", dflt);
    }

    /** "none" or "linear", as {@link ModelConfig#ropeScaling} spells it; anything else is passed on and refused by the model. */
    String ropeScaling() {
        JsonNode r = rope();
        String t = r == null ? "default" : r.path("rope_type").asText(r.path("type").asText("default"));
        return t.equals("default") ? "none" : t;
    }

    float ropeFactor() {
        JsonNode r = rope();
        return r == null || !r.has("factor") || r.get("factor").isNull() ? 1f : (float) number("factor", r.get("factor"));
    }

    /** rope_parameters.<layerType>.<key> (transformers 5, per attention type), or a top-level key (older configs). */
    double ropeFor(String layerType, String key, String oldKey, double dflt) {
        JsonNode n = c.path("rope_parameters").path(layerType).get(key);
        if (n != null && !n.isNull()) {
            return number(key, n);
        }
        return optDouble(oldKey, dflt);
    }

    /** Gemma 3 text: the global layers' rope is the model's rope. */
    ModelConfig gemma3() {
        return checked(this::gemma3Unchecked);
    }

    private ModelConfig gemma3Unchecked() {
        int dim = requiredInt("hidden_size");
        int heads = requiredInt("num_attention_heads");
        int headDim = optInt("head_dim", 256);
        JsonNode full = c.path("rope_parameters").path("full_attention");
        String scaling = full.isObject() ? full.path("rope_type").asText("default") : ropeScaling();
        return new ModelConfig("gemma3", dim, requiredInt("num_hidden_layers"), heads, optInt("num_key_value_heads", heads), headDim,
                requiredInt("intermediate_size"), (float) optDouble("rms_norm_eps", 1e-6),
                (float) ropeFor("full_attention", "rope_theta", "rope_theta", 1_000_000), headDim,
                scaling.equals("default") ? "none" : scaling, ropeFactor(), optInt("max_position_embeddings", 1 << 20),
                requiredInt("vocab_size"));
    }

    /** Whether layer i is a sliding-window layer: layer_types when given, else every sliding_window_pattern-th is global. */
    boolean isSlidingLayer(int i) {
        JsonNode types = c.get("layer_types");
        if (types != null && types.isArray() && i < types.size()) {
            return types.get(i).asText().equals("sliding_attention");
        }
        int pattern = optInt("sliding_window_pattern", optInt("_sliding_window_pattern", 6));
        if (pattern < 1) {
            throw new ModelFormatException(file + ": 'sliding_window_pattern' must be at least 1, found " + pattern);
        }
        return (i + 1) % pattern != 0;
    }

    /** The llama / qwen2 family (LLaMA-1/2, SmolLM2, Qwen2.5): the fields transformers' LlamaConfig reads. */
    ModelConfig llama() {
        return checked(this::llamaUnchecked);
    }

    private ModelConfig llamaUnchecked() {
        int dim = requiredInt("hidden_size");
        int heads = requiredInt("num_attention_heads");
        if (heads < 1) {
            throw new ModelFormatException("'num_attention_heads' must be at least 1, found " + heads);
        }
        if (!c.hasNonNull("head_dim") && dim % heads != 0) {
            throw new ModelFormatException("'num_attention_heads' " + heads + " does not divide 'hidden_size' " + dim + " (and there is no 'head_dim')");
        }
        int headDim = optInt("head_dim", dim / heads);
        return new ModelConfig(modelType(), dim, requiredInt("num_hidden_layers"), heads,
                optInt("num_key_value_heads", heads), headDim, requiredInt("intermediate_size"),
                (float) optDouble("rms_norm_eps", 1e-6), ropeTheta(10000), headDim, ropeScaling(), ropeFactor(),
                optInt("max_position_embeddings", 1 << 20), requiredInt("vocab_size"));
    }
}
