package dev.sentemb.model;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.WeightMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * OPT (facebook/opt-125m … 66b) as transformers' OPTModel runs it: token embeddings (width
 * word_embed_proj_dim) through {@code project_in} when that differs from the hidden size, plus learned
 * positions read at position + 2 (OPT's offset), N blocks of {@link OptLayer}, the final LayerNorm
 * (pre-LN models only), then {@code project_out}. The output — HF's {@code hidden_states[-1]} — is
 * word_embed_proj_dim wide.
 */
final class OptModel extends DecoderStack {
    /** OPTLearnedPositionalEmbedding's offset: position p reads row p + 2. */
    static final int POSITION_OFFSET = 2;
    private static final float EPS = 1e-5f; // nn.LayerNorm's default, which OPT uses everywhere

    private final TokenEmbedding tokens;
    private final WeightMatrix positions;
    private final Linear projectIn;
    private final LayerNorm finalNorm;
    private final Linear projectOut;
    private final int outputDim;
    private final double dropout;

    private OptModel(ModelConfig config, Kernels kernels, TokenEmbedding tokens, WeightMatrix positions, Linear projectIn,
                     List<OptLayer> layers, LayerNorm finalNorm, Linear projectOut, int outputDim, double dropout) {
        super(config, kernels, layers);
        this.tokens = tokens;
        this.positions = positions;
        this.projectIn = projectIn;
        this.finalNorm = finalNorm;
        this.projectOut = projectOut;
        this.outputDim = outputDim;
        this.dropout = dropout;
    }

    /**
     * OPT's shape beyond the common config.
     *
     * @param proj      word_embed_proj_dim (the embeddings' and the output's width)
     * @param preNorm   do_layer_norm_before (false: post-LN, as opt-350m)
     * @param affine    layer_norm_elementwise_affine
     * @param finalNorm whether a final LayerNorm exists (pre-LN models that did not remove it)
     * @param dropout   the config's dropout, applied in training passes to the embeddings and to each
     *                  sub-block's output (transformers' OPT; 0.1 in every released config)
     */
    record Shape(ModelConfig config, int proj, boolean preNorm, boolean affine, boolean finalNorm, double dropout) {}

    /** Reads the OPT fields of config.json. */
    static Shape shape(HfConfig hf) {
        String act = hf.optString("activation_function", "relu");
        if (!act.equals("relu")) {
            throw hf.error("OPT activation_function '" + dev.sentemb.SentembException.capped(act) + "' is not supported; supported: relu");
        }
        int d = hf.requiredInt("hidden_size");
        int heads = hf.requiredInt("num_attention_heads");
        if (heads < 1 || d % heads != 0) {
            throw hf.error("'num_attention_heads' must be at least 1 and divide 'hidden_size' " + d + ", found " + heads);
        }
        int maxPos = hf.requiredInt("max_position_embeddings");
        ModelConfig c = hf.checked(() -> new ModelConfig("opt", d, hf.requiredInt("num_hidden_layers"), heads, heads, d / heads,
                hf.requiredInt("ffn_dim"), EPS, 10000f, d / heads, "none", 1f, maxPos, hf.requiredInt("vocab_size")));
        boolean preNorm = hf.optBool("do_layer_norm_before", true);
        int proj = hf.optInt("word_embed_proj_dim", d);
        if (proj < 1 || proj > ModelConfig.MAX_DIM) {
            throw hf.error("'word_embed_proj_dim' must be 1.." + ModelConfig.MAX_DIM + ", found " + proj);
        }
        double dropout = hf.optDouble("dropout", 0.1);
        if (dropout < 0 || dropout >= 1) {
            throw hf.error("'dropout' must be in [0, 1), found " + dropout);
        }
        return new Shape(c, proj, preNorm, hf.optBool("layer_norm_elementwise_affine", true),
                preNorm && !hf.optBool("_remove_final_layer_norm", false), dropout);
    }

    /** Builds OPT from a weight source in OPTModel's names ({@code decoder.layers.0.fc1.weight}). */
    static OptModel load(WeightSource w, Shape s, Kernels kernels) {
        ModelConfig c = s.config();
        int d = c.dim();
        int heads = c.heads();
        int maxPos = c.contextLength();
        int proj = s.proj();
        boolean preNorm = s.preNorm();
        boolean affine = s.affine();
        AttentionShape shape = new AttentionShape(heads, heads, c.headDim(), (float) (1.0 / Math.sqrt(c.headDim())));

        List<OptLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            String p = "decoder.layers." + i + ".";
            layers.add(new OptLayer(
                    norm(w, p + "self_attn_layer_norm", d, affine),
                    w.linear(p + "self_attn.q_proj", d, d),
                    w.linear(p + "self_attn.k_proj", d, d),
                    w.linear(p + "self_attn.v_proj", d, d),
                    w.linear(p + "self_attn.out_proj", d, d),
                    shape,
                    norm(w, p + "final_layer_norm", d, affine),
                    w.linear(p + "fc1", c.ffnDim(), d),
                    w.linear(p + "fc2", d, c.ffnDim()),
                    preNorm,
                    s.dropout()));
        }
        Linear in = proj != d ? w.linear("decoder.project_in", d, proj) : null;
        Linear out = proj != d ? w.linear("decoder.project_out", proj, d) : null;
        LayerNorm fin = s.finalNorm() ? norm(w, "decoder.final_layer_norm", d, affine) : null;
        return new OptModel(c, kernels, new TokenEmbedding(w.matrix("decoder.embed_tokens.weight", c.vocabSize(), proj)),
                w.matrix("decoder.embed_positions.weight", maxPos + POSITION_OFFSET, d), in, layers, fin, out, proj, s.dropout());
    }

    private static LayerNorm norm(WeightSource w, String prefix, int d, boolean affine) {
        if (!affine) {
            float[] one = new float[d];
            Arrays.fill(one, 1f);
            return new LayerNorm(one, new float[d], EPS);
        }
        return new LayerNorm(w.vector(prefix + ".weight", d), w.vector(prefix + ".bias", d), EPS);
    }

    @Override
    public int outputDim() {
        return outputDim;
    }

    /** Token embeddings (through project_in) plus learned positions, read at position + 2. */
    @Override
    float[] embed(PackedBatch batch) {
        int rows = batch.tokenCount();
        int d = config.dim();
        float[] e = tokens.lookup(batch.tokens(), batch.addedTokens());
        float[] x = projectIn != null ? projectIn.forward(kernels, e, rows) : e; // [T × d]
        addPositions(x, batch);
        return x;
    }

    /** x [T × d] += the learned position of each row. */
    private void addPositions(float[] x, PackedBatch batch) {
        int rows = batch.tokenCount();
        int d = config.dim();
        float[] pos = new float[d];
        int[] p = batch.positions();
        for (int t = 0; t < rows; t++) {
            if (p[t] + POSITION_OFFSET >= positions.rows()) {
                throw new InvalidInputException("sequence longer than OPT's " + config.contextLength() + " positions");
            }
            positions.decodeRows(p[t] + POSITION_OFFSET, 1, pos, 0);
            for (int i = 0; i < d; i++) {
                x[t * d + i] += pos[i];
            }
        }
    }

    /**
     * The embedding of a training pass: project_in (if any) runs its LoRA, keeping its input; then the
     * config's dropout (site {@code endSite(2)}), as transformers applies it to the embeddings in training.
     */
    @Override
    End embedTrain(PackedBatch batch, Pass pass) {
        int rows = batch.tokenCount();
        LoraDropout hidden = pass.dropout().hidden(dropout);
        if (projectIn == null) {
            return new End(hidden.apply(embed(batch), rows, config.dim(), pass.rowKeys(), endSite(2)), null);
        }
        float[] e = tokens.lookup(batch.tokens());
        float[] x = new float[rows * config.dim()];
        Linear.Saved saved = projectIn.forwardTrain(kernels, e, rows, x, pass.dropout(), pass.rowKeys(), endSite(0));
        addPositions(x, batch);
        return new End(hidden.apply(x, rows, config.dim(), pass.rowKeys(), endSite(2)), saved);
    }

    /** Only a project_in with a LoRA takes a gradient: the embeddings and positions are frozen. */
    @Override
    boolean embedTakesGradient() {
        return projectIn != null && projectIn.lora() != null;
    }

    @Override
    void embedBackward(Object saved, PackedBatch batch, float[] dx, Pass pass) {
        int rows = batch.tokenCount();
        float[] dIn = pass.dropout().hidden(dropout).apply(dx, rows, config.dim(), pass.rowKeys(), endSite(2));
        projectIn.backward(kernels, (Linear.Saved) saved, rows, dIn, null, pass.dropout(), pass.rowKeys(), endSite(0), pass.grads());
    }

    /** What a training pass's finish keeps: the final norm's input (or null) and project_out's. */
    private record Finish(float[] normIn, Linear.Saved out) {}

    @Override
    End finishTrain(float[] x, int rows, Pass pass) {
        float[] normIn = null;
        if (finalNorm != null) {
            normIn = x.clone();
            finalNorm.apply(kernels, x, rows, x);
        }
        if (projectOut == null) {
            return new End(x, new Finish(normIn, null));
        }
        float[] y = new float[rows * outputDim];
        Linear.Saved out = projectOut.forwardTrain(kernels, x, rows, y, pass.dropout(), pass.rowKeys(), endSite(1));
        return new End(y, new Finish(normIn, out));
    }

    @Override
    float[] finishBackward(Object saved, int rows, float[] dHidden, Pass pass) {
        Finish f = (Finish) saved;
        float[] dx = dHidden;
        if (projectOut != null) {
            dx = new float[rows * config.dim()];
            projectOut.backward(kernels, f.out(), rows, dHidden, dx, pass.dropout(), pass.rowKeys(), endSite(1), pass.grads());
        }
        if (finalNorm == null) {
            return dx == dHidden ? dHidden.clone() : dx;
        }
        float[] dn = new float[rows * config.dim()];
        kernels.layerNormBackward(f.normIn(), rows, finalNorm.weight(), finalNorm.eps(), dx, dn);
        return dn;
    }

    /** The final LayerNorm (pre-LN models), then project_out. */
    @Override
    float[] finish(float[] x, int rows) {
        if (finalNorm != null) {
            x = finalNorm.apply(kernels, x, rows, x);
        }
        return projectOut != null ? projectOut.forward(kernels, x, rows) : x;
    }
}
