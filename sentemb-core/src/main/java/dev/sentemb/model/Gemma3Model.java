package dev.sentemb.model;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.Rope;
import dev.sentemb.kernel.RopeStyle;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemma 3 (text): token embeddings scaled by √d, blocks with q/k norms, sandwich norms and GeGLU
 * ({@link Gemma3Layer}), local (sliding-window) layers interleaved with global ones, a final RMSNorm.
 * Built from a weight source, the common config and a {@link Layout} (window, local RoPE base, score
 * scale, which layers are local, whether norm gains are zero-centred), whichever format those came from.
 */
public final class Gemma3Model extends RmsNormStack {
    static final int GLOBAL_EVERY = 6;
    static final float LOCAL_ROPE_BASE = 10_000f;

    private final float embeddingScale;

    private Gemma3Model(ModelConfig config, Kernels kernels, TokenEmbedding embedding, List<Gemma3Layer> layers, RmsNorm finalNorm) {
        super(config, kernels, embedding, layers, finalNorm);
        this.embeddingScale = (float) Math.sqrt(config.dim());
    }

    /** Whether layer {@code i} is local (sliding-window); every {@value #GLOBAL_EVERY}th is global. */
    static boolean isLocal(int i) {
        return i % GLOBAL_EVERY != GLOBAL_EVERY - 1;
    }

    /**
     * What Gemma 3 needs beyond the common config.
     *
     * @param window     the sliding window of local layers
     * @param localBase  RoPE base of local layers
     * @param scale      attention score scale
     * @param isLocal    which layers use the sliding window
     * @param shiftNorms add 1 to every RMSNorm gain: Hugging Face stores Gemma's zero-centred w and
     *                   computes x·(1 + w); llama.cpp's converter already wrote 1 + w into GGUF files
     */
    record Layout(int window, float localBase, float scale, java.util.function.IntPredicate isLocal, boolean shiftNorms) {}

    /** Builds the model from any weight source (canonical llama.cpp names) and its config. */
    static Gemma3Model load(WeightSource w, ModelConfig c, Kernels kernels, Layout layout) {
        int window = layout.window();
        float localBase = layout.localBase();
        float scale = layout.scale();
        java.util.function.IntPredicate isLocal = layout.isLocal();
        boolean shiftNorms = layout.shiftNorms();
        if (!c.ropeScaling().equals("none")) {
            throw new ModelFormatException("rope scaling '" + dev.sentemb.SentembException.capped(c.ropeScaling()) + "' is not supported for gemma3");
        }
        if (window <= 0) {
            throw new ModelFormatException("gemma3 needs a positive sliding window, got " + window);
        }
        Rope globalRope = Rope.of(RopeStyle.NEOX, c.ropeDims(), c.ropeBase(), 1f, null);
        Rope localRope = Rope.of(RopeStyle.NEOX, c.ropeDims(), localBase, 1f, null);
        AttentionShape global = new AttentionShape(c.heads(), c.kvHeads(), c.headDim(), scale);
        AttentionShape local = global.withWindow(window);

        int d = c.dim();
        List<Gemma3Layer> layers = new ArrayList<>(c.layers());
        for (int i = 0; i < c.layers(); i++) {
            String p = "blk." + i + ".";
            boolean sliding = isLocal.test(i);
            AttentionShape shape = sliding ? local : global;
            GroupedQueryAttention attention = new GroupedQueryAttention(
                    w.linear(p + "attn_q", shape.qWidth(), d),
                    w.linear(p + "attn_k", shape.kvWidth(), d),
                    w.linear(p + "attn_v", shape.kvWidth(), d),
                    w.linear(p + "attn_output", d, shape.qWidth()),
                    norm(w, p + "attn_q_norm.weight", c.headDim(), c, shiftNorms),
                    norm(w, p + "attn_k_norm.weight", c.headDim(), c, shiftNorms),
                    shape,
                    sliding ? localRope : globalRope);
            GatedMlp mlp = new GatedMlp(
                    w.linear(p + "ffn_gate", c.ffnDim(), d),
                    w.linear(p + "ffn_up", c.ffnDim(), d),
                    w.linear(p + "ffn_down", d, c.ffnDim()),
                    GatedMlp.Activation.GELU_TANH);
            layers.add(new Gemma3Layer(
                    norm(w, p + "attn_norm.weight", d, c, shiftNorms),
                    attention,
                    norm(w, p + "post_attention_norm.weight", d, c, shiftNorms),
                    norm(w, p + "ffn_norm.weight", d, c, shiftNorms),
                    mlp,
                    norm(w, p + "post_ffw_norm.weight", d, c, shiftNorms)));
        }
        TokenEmbedding embedding = new TokenEmbedding(w.matrix("token_embd.weight", c.vocabSize(), d));
        return new Gemma3Model(c, kernels, embedding, layers, norm(w, "output_norm.weight", d, c, shiftNorms));
    }

    private static RmsNorm norm(WeightSource w, String name, int width, ModelConfig c, boolean shift) {
        float[] g = w.vector(name, width);
        if (shift) {
            for (int i = 0; i < g.length; i++) {
                g[i] += 1f;
            }
        }
        return new RmsNorm(g, c.rmsEps());
    }

    /** Gemma scales its embeddings by √d. */
    @Override
    float[] embed(PackedBatch batch) {
        float[] x = super.embed(batch);
        for (int i = 0; i < x.length; i++) {
            x[i] *= embeddingScale;
        }
        return x;
    }

}
