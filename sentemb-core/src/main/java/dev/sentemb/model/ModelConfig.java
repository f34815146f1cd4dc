package dev.sentemb.model;

import dev.sentemb.weights.GgufFile;
import dev.sentemb.weights.GgufMetadata;

/**
 * The shape of a decoder-only transformer, read from GGUF metadata ({@code {arch}.*} keys).
 *
 * @param architecture  general.architecture, e.g. "llama"
 * @param dim           embedding_length (d)
 * @param layers        block_count
 * @param heads         attention.head_count
 * @param kvHeads       attention.head_count_kv (defaults to heads)
 * @param headDim       attention.key_length (defaults to d / heads)
 * @param ffnDim        feed_forward_length
 * @param rmsEps        attention.layer_norm_rms_epsilon
 * @param ropeBase      rope.freq_base (default 10000)
 * @param ropeDims      rope.dimension_count (defaults to headDim)
 * @param ropeScaling   rope.scaling.type ("none" when absent)
 * @param ropeScaleFactor rope.scaling.factor (1 when absent)
 * @param contextLength context_length
 * @param vocabSize     rows of token_embd
 */
public record ModelConfig(
        String architecture,
        int dim,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int ffnDim,
        float rmsEps,
        float ropeBase,
        int ropeDims,
        String ropeScaling,
        float ropeScaleFactor,
        int contextLength,
        int vocabSize) {

    /** Bounds well beyond the largest models sentemb can run on a CPU, so a hostile value fails before anything is sized by it. */
    static final int MAX_DIM = 1 << 16, MAX_LAYERS = 1024, MAX_HEADS = 1024, MAX_HEAD_DIM = 4096, MAX_FFN = 1 << 20,
            MAX_VOCAB = 1 << 24, MAX_CONTEXT = 1 << 24;

    public ModelConfig {
        range("hidden size (hidden_size, embedding_length)", dim, MAX_DIM);
        range("layers (num_hidden_layers, block_count)", layers, MAX_LAYERS);
        range("attention heads (num_attention_heads, head_count)", heads, MAX_HEADS);
        range("key/value heads (num_key_value_heads, head_count_kv)", kvHeads, MAX_HEADS);
        range("head dim (head_dim, key_length)", headDim, MAX_HEAD_DIM);
        range("feed-forward size (intermediate_size, feed_forward_length)", ffnDim, MAX_FFN);
        range("vocabulary size (vocab_size, rows of token_embd)", vocabSize, MAX_VOCAB);
        range("context length (max_position_embeddings, context_length)", contextLength, MAX_CONTEXT);
        if (heads % kvHeads != 0) {
            throw new ModelFormatException("head_count " + heads + " is not a multiple of head_count_kv " + kvHeads);
        }
        if (!(rmsEps > 0) || !Float.isFinite(rmsEps)) {
            throw new ModelFormatException("the norm epsilon (rms_norm_eps, layer_norm_rms_epsilon) must be a finite number > 0, found " + rmsEps);
        }
        if (!(ropeBase > 0) || !Float.isFinite(ropeBase)) {
            throw new ModelFormatException("the rope base (rope_theta, rope.freq_base) must be a finite number > 0, found " + ropeBase);
        }
        if (!(ropeScaleFactor > 0) || !Float.isFinite(ropeScaleFactor)) {
            throw new ModelFormatException("the rope scaling factor must be a finite number > 0, found " + ropeScaleFactor);
        }
        if (ropeDims <= 0 || ropeDims > headDim || ropeDims % 2 != 0) {
            throw new ModelFormatException("rope.dimension_count " + ropeDims + " must be even and <= head dim " + headDim);
        }
    }

    private static void range(String what, int v, int max) {
        if (v < 1 || v > max) {
            throw new ModelFormatException(what + " must be 1.." + max + ", found " + v);
        }
    }

    /**
     * FLOPs per token of the linear layers (q, k, v, o and the three MLP matrices of every layer; no LM
     * head, attention scores excluded): the figure benchmarks divide by to get effective GFLOP/s.
     */
    public long linearFlopsPerToken() {
        long q = (long) heads * headDim, kv = (long) kvHeads * headDim;
        return 2L * layers * (dim * q + 2 * dim * kv + q * dim + 3L * dim * ffnDim);
    }

    /** Reads the config of the file's own architecture; every missing required key is named in the error. */
    public static ModelConfig fromGguf(GgufFile file) {
        try {
            return readGguf(file);
        } catch (ModelFormatException e) {
            String where = file.path().toString();
            throw e.getMessage().contains(where) ? e : new ModelFormatException(where + ": " + e.getMessage());
        }
    }

    private static ModelConfig readGguf(GgufFile file) {
        GgufMetadata m = file.metadata();
        String arch = required(m, "general.architecture", m::getString);
        String p = arch + ".";
        int dim = required(m, p + "embedding_length", m::getInt);
        int heads = required(m, p + "attention.head_count", m::getInt);
        if (heads < 1) {
            throw new ModelFormatException("'" + p + "attention.head_count' must be at least 1, found " + heads);
        }
        int kvHeads = m.getInt(p + "attention.head_count_kv", heads);
        int headDim = m.getInt(p + "attention.key_length", dim / heads);
        String emb = "token_embd.weight";
        int vocab = file.findTensor(emb)
                .map(t -> (int) t.rows())
                .orElseThrow(() -> new ModelFormatException("missing tensor " + emb + " in " + file.path()));
        return new ModelConfig(
                arch,
                dim,
                required(m, p + "block_count", m::getInt),
                heads,
                kvHeads,
                headDim,
                required(m, p + "feed_forward_length", m::getInt),
                required(m, p + "attention.layer_norm_rms_epsilon", m::getFloat),
                m.getFloat(p + "rope.freq_base", 10000f),
                m.getInt(p + "rope.dimension_count", headDim),
                m.getString(p + "rope.scaling.type", "none"),
                m.getFloat(p + "rope.scaling.factor", 1f),
                m.getInt(p + "context_length", 1 << 20), // absent: unknown, as HF's default; never "a limit of 0"
                vocab);
    }

    private static <T> T required(GgufMetadata m, String key, java.util.function.Function<String, T> getter) {
        if (!m.contains(key)) {
            throw new ModelFormatException("missing GGUF metadata key '" + key + "'");
        }
        return getter.apply(key);
    }
}
