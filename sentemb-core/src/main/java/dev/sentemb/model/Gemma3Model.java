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
public final class Gemma3Model implements TransformerModel {
    static final int GLOBAL_EVERY = 6;
    static final float LOCAL_ROPE_BASE = 10_000f;

    private final ModelConfig config;
    private final Kernels kernels;
    private final TokenEmbedding embedding;
    private final float embeddingScale;
    private final List<Gemma3Layer> layers;
    private final RmsNorm finalNorm;

    private Gemma3Model(ModelConfig config, Kernels kernels, TokenEmbedding embedding, List<Gemma3Layer> layers, RmsNorm finalNorm) {
        this.config = config;
        this.kernels = kernels;
        this.embedding = embedding;
        this.embeddingScale = (float) Math.sqrt(config.dim());
        this.layers = List.copyOf(layers);
        this.finalNorm = finalNorm;
    }

    /** Whether layer {@code i} is local (sliding-window); every {@value #GLOBAL_EVERY}th is global. */
    static boolean isLocal(int i) {
        return i % GLOBAL_EVERY != GLOBAL_EVERY - 1;
    }

    /** Builds the model over the file's tensors (llama.cpp names); the file must stay open while it is used. */
    static Gemma3Model load(GgufFile file, ModelConfig c, Kernels kernels) {
        if (!c.ropeScaling().equals("none")) {
            throw new ModelFormatException("rope scaling '" + c.ropeScaling() + "' is not supported for gemma3");
        }
        GgufMetadata md = file.metadata();
        String p0 = c.architecture() + ".";
        int window = md.getInt(p0 + "attention.sliding_window", 0);
        if (window <= 0) {
            throw new ModelFormatException("gemma3 needs a positive " + p0 + "attention.sliding_window, got " + window);
        }
        float localBase = md.getFloat(p0 + "rope.freq_base_swa", LOCAL_ROPE_BASE);
        Rope globalRope = Rope.of(RopeStyle.NEOX, c.ropeDims(), c.ropeBase(), 1f, null);
        Rope localRope = Rope.of(RopeStyle.NEOX, c.ropeDims(), localBase, 1f, null);
        float scale = (float) (1.0 / Math.sqrt(c.layers() == 62 ? (double) c.dim() / c.heads() : c.headDim()));
        AttentionShape global = new AttentionShape(c.heads(), c.kvHeads(), c.headDim(), scale);
        AttentionShape local = global.withWindow(window);

        GgufWeights w = new GgufWeights(file);
        int d = c.dim();
        List<Gemma3Layer> layers = new ArrayList<>(c.layers());
        for (int i = 0; i < c.layers(); i++) {
            String p = "blk." + i + ".";
            boolean isLocal = isLocal(i);
            AttentionShape shape = isLocal ? local : global;
            QkNormAttention attention = new QkNormAttention(
                    w.linear(p + "attn_q", shape.qWidth(), d),
                    w.linear(p + "attn_k", shape.kvWidth(), d),
                    w.linear(p + "attn_v", shape.kvWidth(), d),
                    w.linear(p + "attn_output", d, shape.qWidth()),
                    norm(w, p + "attn_q_norm.weight", c.headDim(), c),
                    norm(w, p + "attn_k_norm.weight", c.headDim(), c),
                    shape,
                    isLocal ? localRope : globalRope);
            GegluMlp mlp = new GegluMlp(
                    w.linear(p + "ffn_gate", c.ffnDim(), d),
                    w.linear(p + "ffn_up", c.ffnDim(), d),
                    w.linear(p + "ffn_down", d, c.ffnDim()));
            layers.add(new Gemma3Layer(
                    norm(w, p + "attn_norm.weight", d, c),
                    attention,
                    norm(w, p + "post_attention_norm.weight", d, c),
                    norm(w, p + "ffn_norm.weight", d, c),
                    mlp,
                    norm(w, p + "post_ffw_norm.weight", d, c)));
        }
        TokenEmbedding embedding = new TokenEmbedding(w.matrix("token_embd.weight", c.vocabSize(), d));
        return new Gemma3Model(c, kernels, embedding, layers, norm(w, "output_norm.weight", d, c));
    }

    private static RmsNorm norm(GgufWeights w, String name, int width, ModelConfig c) {
        return new RmsNorm(w.vector(name, width), c.rmsEps());
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public PackedHidden forward(List<int[]> sequences) {
        PackedBatch batch = PackedBatch.of(sequences, config.vocabSize());
        float[] x = embedding.lookup(batch.tokens()); // residual stream [T × d]
        for (int i = 0; i < x.length; i++) {
            x[i] *= embeddingScale;
        }
        for (Gemma3Layer layer : layers) {
            layer.forward(kernels, x, batch);
        }
        float[] hidden = finalNorm.apply(kernels, x, batch.tokenCount());
        return new PackedHidden(hidden, batch.offsets().clone(), config.dim());
    }

    @Override
    public void close() {
        kernels.close();
    }
}
