package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.RopeStyle;
import dev.sentemb.weights.HfCheckpoint;
import java.util.List;
import java.util.Map;

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

    /** llama.cpp's per-block tensor names and transformers' equivalents (LlamaModel / Qwen2Model). */
    private static final Map<String, String> LLAMA_BLOCK = Map.of(
            "attn_q", "self_attn.q_proj", "attn_k", "self_attn.k_proj", "attn_v", "self_attn.v_proj",
            "attn_output", "self_attn.o_proj", "ffn_gate", "mlp.gate_proj", "ffn_up", "mlp.up_proj",
            "ffn_down", "mlp.down_proj", "attn_norm", "input_layernorm", "ffn_norm", "post_attention_layernorm");

    private HfModels() {}

    /**
     * @param quantizeQ8 store every matrix (rows a multiple of 32 wide) as Q8_0 instead of its file type
     * @param adapter    a LoRA adapter to apply, or null
     */
    public static TransformerModel load(HfCheckpoint ckpt, Kernels kernels, boolean quantizeQ8, LoraAdapter adapter) {
        HfConfig hf = new HfConfig(ckpt.config(), ckpt.directory().resolve("config.json"));
        String type = hf.modelType();
        TransformerModel model = switch (type) {
            case "llama", "qwen2" -> LlamaModel.load(new HfWeights(ckpt, HfModels::llamaName, quantizeQ8, adapter), hf.llama(),
                    kernels, RopeStyle.NEOX);
            case "gemma3_text" -> {
                ModelConfig c = hf.gemma3();
                float scale = (float) (1.0 / Math.sqrt(hf.optDouble("query_pre_attn_scalar", c.headDim())));
                float localBase = (float) hf.ropeFor("sliding_attention", "rope_theta", "rope_local_base_freq", 10_000);
                yield Gemma3Model.load(new HfWeights(ckpt, HfModels::gemmaName, quantizeQ8, adapter), c, kernels,
                        hf.requiredInt("sliding_window"), localBase, scale, hf::isSlidingLayer, true);
            }
            case "opt" -> OptModel.load(hf, new HfWeights(ckpt, n -> n, quantizeQ8, adapter), kernels);
            default -> throw new UnsupportedArchitectureException(type.isEmpty() ? "(no model_type)" : type, SUPPORTED);
        };
        if (adapter != null) {
            adapter.checkAllApplied();
        }
        return model;
    }

    /** Gemma 3's extra norms; everything else is named as in llama. */
    private static final Map<String, String> GEMMA_BLOCK = Map.of(
            "attn_q_norm", "self_attn.q_norm", "attn_k_norm", "self_attn.k_norm",
            "post_attention_norm", "post_attention_layernorm", "ffn_norm", "pre_feedforward_layernorm",
            "post_ffw_norm", "post_feedforward_layernorm");

    static String gemmaName(String canonical) {
        if (canonical.startsWith("blk.")) {
            int dot = canonical.indexOf('.', 4);
            String rest = canonical.substring(dot + 1);
            int end = rest.lastIndexOf('.');
            String hf = GEMMA_BLOCK.get(rest.substring(0, end));
            if (hf != null) {
                return "layers." + canonical.substring(4, dot) + "." + hf + rest.substring(end);
            }
        }
        return llamaName(canonical);
    }

    /** blk.3.attn_q.weight → layers.3.self_attn.q_proj.weight; token_embd → embed_tokens; output_norm → norm. */
    static String llamaName(String canonical) {
        String suffix = "";
        String base = canonical;
        for (String s : new String[] {".weight", ".bias"}) {
            if (base.endsWith(s)) {
                suffix = s;
                base = base.substring(0, base.length() - s.length());
            }
        }
        if (base.startsWith("blk.")) {
            int dot = base.indexOf('.', 4);
            String hf = LLAMA_BLOCK.get(base.substring(dot + 1));
            return hf == null ? canonical : "layers." + base.substring(4, dot) + "." + hf + suffix;
        }
        return switch (base) {
            case "token_embd" -> "embed_tokens" + suffix;
            case "output_norm" -> "norm" + suffix;
            default -> canonical;
        };
    }
}
