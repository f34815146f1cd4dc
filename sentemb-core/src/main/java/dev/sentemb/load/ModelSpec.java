package dev.sentemb.load;

import java.io.Serializable;
import java.util.Objects;

/**
 * What to load, as a small immutable value a server config or a Spark executor can carry: the model (a
 * registry name, a GGUF path, a Hugging Face directory or a model id in the local HF cache), an
 * optional PEFT LoRA adapter directory and how to apply it, and whether to quantize HF weights to Q8_0.
 * Paths are strings so the spec means the same on every machine that has the same files.
 *
 * @param model        registry name, GGUF path, HF directory or HF model id
 * @param adapter      a PEFT LoRA adapter directory, or null
 * @param mergeAdapter merge the adapter into the weights (true) or apply it on the fly
 * @param quantizeQ8   quantize an HF checkpoint's matrices to Q8_0 on load
 * @param packedBytes  keep up to this many bytes of projection weights decoded in the matmul's panel layout
 *                     (fp32, 4 bytes a weight; 0: stream every weight from its stored encoding;
 *                     {@link #AUTO_PACKED}: a budget sized to the JVM's memory, see
 *                     {@code dev.sentemb.model.PackedWeights#autoBudget})
 */
public record ModelSpec(String model, String adapter, boolean mergeAdapter, boolean quantizeQ8, long packedBytes) implements Serializable {
    /** {@link #packedBytes} meaning "as much as the JVM's memory comfortably allows" (the default). */
    public static final long AUTO_PACKED = -1;

    public ModelSpec {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("a model spec needs a model name or path");
        }
        if (packedBytes < AUTO_PACKED) {
            throw new IllegalArgumentException("packedBytes must be a byte count or AUTO_PACKED (-1), not " + packedBytes);
        }
    }

    /** The model alone: no adapter, weights as stored, projections packed within the automatic budget. */
    public static ModelSpec of(String model) {
        return new ModelSpec(model, null, true, false, AUTO_PACKED);
    }

    public ModelSpec withAdapter(String dir, boolean merge) {
        return new ModelSpec(model, dir, merge, quantizeQ8, packedBytes);
    }

    public ModelSpec withQuantizeQ8(boolean on) {
        return new ModelSpec(model, adapter, mergeAdapter, on, packedBytes);
    }

    public ModelSpec withPackedBytes(long bytes) {
        return new ModelSpec(model, adapter, mergeAdapter, quantizeQ8, bytes);
    }
}
