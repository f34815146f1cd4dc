package dev.sentemb.model;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.Rope;
import dev.sentemb.kernel.RopeStyle;
import dev.sentemb.weights.GgufFile;
import dev.sentemb.weights.GgufMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemma 3 (text): token embeddings scaled by √d, blocks with q/k norms, sandwich norms and GeGLU
 * ({@link Gemma3Layer}), local (sliding-window) layers interleaved with global ones, a final RMSNorm.
 *
 * <p>What the GGUF does not state is taken from llama.cpp's gemma3 loader, which agrees with
 * transformers' Gemma3TextConfig defaults: every 6th layer is global, the rest local; local layers
 * use RoPE base 10000 ({@code rope.freq_base_swa} if present), global ones {@code rope.freq_base};
 * scores are scaled by 1/√headDim (query_pre_attn_scalar = head dim), except for the 62-layer 27B
 * model, which uses 1/√(d/heads). RMSNorm gains are used as stored: llama.cpp's converter already
 * wrote Gemma's (1 + w) into the file.
 */
public final class Gemma3Model extends DecoderStack {
    static final int GLOBAL_EVERY = 6;
    static final float LOCAL_ROPE_BASE = 10_000f;

    private final float embeddingScale;
    private final TokenEmbedding embedding;
    private final RmsNorm finalNorm;

    private Gemma3Model(ModelConfig config, Kernels kernels, TokenEmbedding embedding, List<Gemma3Layer> layers, RmsNorm finalNorm) {
        super(config, kernels, layers);
        this.embeddingScale = (float) Math.sqrt(config.dim());
        this.embedding = embedding;
        this.finalNorm = finalNorm;
    }

    /** Whether layer {@code i} is local (sliding-window); every {@value #GLOBAL_EVERY}th is global. */
    static boolean isLocal(int i) {
        return i % GLOBAL_EVERY != GLOBAL_EVERY - 1;
    }

    /** Builds the model over the file's tensors (llama.cpp names); the file must stay open while it is used. */
    static Gemma3Model load(GgufFile file, ModelConfig c, Kernels kernels) {
        GgufMetadata md = file.metadata();
        String p0 = c.architecture() + ".";
        int window = md.getInt(p0 + "attention.sliding_window", 0);
        float localBase = md.getFloat(p0 + "rope.freq_base_swa", LOCAL_ROPE_BASE);
        float scale = (float) (1.0 / Math.sqrt(c.layers() == 62 ? (double) c.dim() / c.heads() : c.headDim()));
        return load(new GgufWeights(file), c, kernels, window, localBase, scale, Gemma3Model::isLocal, false);
    }

    /**
     * Builds the model from any weight source (canonical llama.cpp names).
     *
     * @param isLocal    which layers use the sliding window
     * @param shiftNorms add 1 to every RMSNorm gain: Hugging Face stores Gemma's zero-centred w and
     *                   computes x·(1 + w); llama.cpp's converter already wrote 1 + w into GGUF files
     */
    static Gemma3Model load(WeightSource w, ModelConfig c, Kernels kernels, int window, float localBase, float scale,
                            java.util.function.IntPredicate isLocal, boolean shiftNorms) {
        if (!c.ropeScaling().equals("none")) {
            throw new ModelFormatException("rope scaling '" + c.ropeScaling() + "' is not supported for gemma3");
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
        float[] x = embedding.lookup(batch.tokens());
        for (int i = 0; i < x.length; i++) {
            x[i] *= embeddingScale;
        }
        return x;
    }

    @Override
    float[] finish(float[] x, int rows) {
        return finalNorm.apply(kernels, x, rows, x);
    }
}
