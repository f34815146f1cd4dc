package dev.sentemb.model;

import java.util.Map;

/**
 * llama.cpp's canonical tensor names (what every architecture asks a {@link WeightSource} for) and
 * transformers' names of the same tensors: how an HF checkpoint is read, and how a PEFT adapter (which
 * names transformers' modules) finds its layers on any source.
 */
final class TensorNames {
    /** llama.cpp's per-block tensor names and transformers' equivalents (LlamaModel / Qwen2Model). */
    private static final Map<String, String> LLAMA_BLOCK = Map.of(
            "attn_q", "self_attn.q_proj", "attn_k", "self_attn.k_proj", "attn_v", "self_attn.v_proj",
            "attn_output", "self_attn.o_proj", "ffn_gate", "mlp.gate_proj", "ffn_up", "mlp.up_proj",
            "ffn_down", "mlp.down_proj", "attn_norm", "input_layernorm", "ffn_norm", "post_attention_layernorm");

    private TensorNames() {}

    /** Gemma 3's extra norms; everything else is named as in llama. */
    private static final Map<String, String> GEMMA_BLOCK = Map.of(
            "attn_q_norm", "self_attn.q_norm", "attn_k_norm", "self_attn.k_norm",
            "post_attention_norm", "post_attention_layernorm", "ffn_norm", "pre_feedforward_layernorm",
            "post_ffw_norm", "post_feedforward_layernorm");

    /** As {@link #llama}, with Gemma 3's extra norms. */
    static String gemma(String canonical) {
        return rename(canonical, GEMMA_BLOCK);
    }

    /** blk.3.attn_q.weight → layers.3.self_attn.q_proj.weight; token_embd → embed_tokens; output_norm → norm. */
    static String llama(String canonical) {
        return rename(canonical, Map.of());
    }

    /**
     * A canonical tensor or module name (with or without its .weight/.bias suffix) in transformers' naming:
     * a block's part through {@code extra} first, then the llama names.
     */
    private static String rename(String canonical, Map<String, String> extra) {
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
            String part = base.substring(dot + 1);
            String hf = extra.getOrDefault(part, LLAMA_BLOCK.get(part));
            return hf == null ? canonical : "layers." + base.substring(4, dot) + "." + hf + suffix;
        }
        return switch (base) {
            case "token_embd" -> "embed_tokens" + suffix;
            case "output_norm" -> "norm" + suffix;
            default -> canonical;
        };
    }
}
