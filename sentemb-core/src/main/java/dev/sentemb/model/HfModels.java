package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.RopeStyle;
import dev.sentemb.weights.HfCheckpoint;
import java.util.List;

/**
 * Builds a {@link TransformerModel} from a Hugging Face checkpoint by its {@code model_type}. The llama
 * family reuses {@link LlamaModel} through a name map from llama.cpp's canonical names to transformers'
 * (same blocks, same code); OPT has its own class. Rotary pairs follow the source: transformers keeps
 * q/k in the half-split layout it rotates with {@code rotate_half}, so every HF llama is
 * {@link RopeStyle#NEOX} (llama.cpp's converter is what permutes llama to NORM in GGUF files).
 */
public final class HfModels {
    /** model_type values this engine runs from a Hugging Face directory. */
    public static final List<String> SUPPORTED = List.of("llama", "qwen2", "gemma3_text", "opt");

    private HfModels() {}

    /**
     * @param quantizeQ8 store every matrix (rows a multiple of 32 wide) as Q8_0 instead of its file type
     * @param adapter    a LoRA adapter to apply, or null
     */
    public static TransformerModel load(HfCheckpoint ckpt, Kernels kernels, boolean quantizeQ8, LoraAdapter adapter) {
        return load(ckpt, kernels, quantizeQ8, adapter, 0);
    }

    /** As above, keeping up to {@code packedBytes} of projection weights decoded in the kernel's panel layout. */
    public static TransformerModel load(HfCheckpoint ckpt, Kernels kernels, boolean quantizeQ8, LoraAdapter adapter, long packedBytes) {
        try {
            return build(ckpt, kernels, quantizeQ8, adapter, packedBytes);
        } catch (ModelFormatException e) {
            throw adapter != null && adapter.namedIn(e.getMessage()) ? e : ModelFormatException.in(ckpt.directory(), e);
        }
    }

    private static TransformerModel build(HfCheckpoint ckpt, Kernels kernels, boolean quantizeQ8, LoraAdapter adapter, long packedBytes) {
        HfConfig hf = new HfConfig(ckpt.config(), ckpt.directory().resolve("config.json"));
        String type = hf.modelType();
        java.util.function.UnaryOperator<String> names = switch (type) {
            case "llama", "qwen2" -> TensorNames::llama;
            case "gemma3_text" -> TensorNames::gemma;
            case "opt" -> n -> n;
            default -> throw new UnsupportedArchitectureException(ckpt.directory().resolve("config.json") + ": 'model_type'",
                    type.isEmpty() ? "(absent)" : type, SUPPORTED);
        };
        WeightSource w = PackedWeights.over(AdaptedWeights.over(new HfWeights(ckpt, names, quantizeQ8), adapter), packedBytes);
        TransformerModel model = switch (type) {
            case "gemma3_text" -> {
                ModelConfig c = hf.gemma3();
                double scalar = hf.optDouble("query_pre_attn_scalar", c.headDim());
                if (!(scalar > 0)) {
                    throw hf.error("'query_pre_attn_scalar' must be > 0, found " + scalar);
                }
                if (hf.requiredInt("sliding_window") < 1) {
                    throw hf.error("'sliding_window' must be at least 1, found " + hf.requiredInt("sliding_window"));
                }
                float scale = (float) (1.0 / Math.sqrt(scalar));
                float localBase = (float) hf.ropeFor("sliding_attention", "rope_theta", "rope_local_base_freq", 10_000);
                yield Gemma3Model.load(w, c, kernels, new Gemma3Model.Layout(hf.requiredInt("sliding_window"), localBase, scale,
                        hf::isSlidingLayer, true));
            }
            case "opt" -> OptModel.load(w, OptModel.shape(hf), kernels);
            default -> LlamaModel.load(w, hf.llama(), kernels, RopeStyle.NEOX);
        };
        if (adapter != null) {
            adapter.checkAllApplied();
        }
        return model;
    }
}
