package dev.sentemb.model;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.Rope;
import dev.sentemb.kernel.RopeStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The llama family: token embedding, N pre-norm blocks of grouped-query attention with RoPE and a
 * SwiGLU MLP, a final RMSNorm. Qwen2 is the same network with q/k/v biases (picked up whenever the
 * file has them) and NEOX-style rotary pairs.
 */
public final class LlamaModel extends RmsNormStack {
    private static final Set<String> ROPE_SCALINGS = Set.of("none", "linear");

    LlamaModel(ModelConfig config, Kernels kernels, TokenEmbedding embedding, List<DecoderLayer> layers, RmsNorm finalNorm) {
        super(config, kernels, embedding, layers, finalNorm);
    }

    /** Builds the model from any weight source (canonical llama.cpp names); the source must outlive the model. */
    static LlamaModel load(WeightSource w, ModelConfig c, Kernels kernels, RopeStyle ropeStyle) {
        if (!ROPE_SCALINGS.contains(c.ropeScaling())) {
            throw new ModelFormatException("rope scaling '" + dev.sentemb.SentembException.capped(c.ropeScaling()) + "' is not supported; supported: " + ROPE_SCALINGS);
        }
        float[] freqFactors = w.optionalVector("rope_freqs.weight", c.ropeDims() / 2).orElse(null);
        float linear = c.ropeScaling().equals("linear") ? c.ropeScaleFactor() : 1f;
        Rope rope = Rope.of(ropeStyle, c.ropeDims(), c.ropeBase(), linear, freqFactors);
        AttentionShape shape = new AttentionShape(c.heads(), c.kvHeads(), c.headDim(), (float) (1.0 / Math.sqrt(c.headDim())));

        int d = c.dim();
        List<DecoderLayer> layers = new ArrayList<>(c.layers());
        for (int i = 0; i < c.layers(); i++) {
            String p = "blk." + i + ".";
            GroupedQueryAttention attention = new GroupedQueryAttention(
                    w.linear(p + "attn_q", shape.qWidth(), d),
                    w.linear(p + "attn_k", shape.kvWidth(), d),
                    w.linear(p + "attn_v", shape.kvWidth(), d),
                    w.linear(p + "attn_output", d, shape.qWidth()),
                    shape,
                    rope);
            GatedMlp mlp = new GatedMlp(
                    w.linear(p + "ffn_gate", c.ffnDim(), d),
                    w.linear(p + "ffn_up", c.ffnDim(), d),
                    w.linear(p + "ffn_down", d, c.ffnDim()),
                    GatedMlp.Activation.SILU);
            layers.add(new DecoderLayer(
                    new RmsNorm(w.vector(p + "attn_norm.weight", d), c.rmsEps()),
                    attention,
                    new RmsNorm(w.vector(p + "ffn_norm.weight", d), c.rmsEps()),
                    mlp));
        }
        TokenEmbedding embedding = new TokenEmbedding(w.matrix("token_embd.weight", c.vocabSize(), d));
        RmsNorm finalNorm = new RmsNorm(w.vector("output_norm.weight", d), c.rmsEps());
        return new LlamaModel(c, kernels, embedding, layers, finalNorm);
    }
}
