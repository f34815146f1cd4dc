package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import java.util.ArrayList;
import java.util.List;

/**
 * What the pre-norm decoder families share: token embedding, a stack of blocks over the residual
 * stream, a final RMSNorm, the shared-prefix cache (a prefix's per-layer keys and values, kept by
 * {@link #prefill} and continued by {@link #forward(List, CachedPrefix)}) and the pool of activation
 * workspaces. A family supplies its blocks and, if it scales them, its embeddings.
 */
abstract class DecoderStack implements TransformerModel {
    protected final ModelConfig config;
    protected final Kernels kernels;
    private final TokenEmbedding embedding;
    private final RmsNorm finalNorm;
    private final int layerCount;
    private final Workspace.Pool workspaces = new Workspace.Pool();

    DecoderStack(ModelConfig config, Kernels kernels, TokenEmbedding embedding, int layerCount, RmsNorm finalNorm) {
        this.config = config;
        this.kernels = kernels;
        this.embedding = embedding;
        this.layerCount = layerCount;
        this.finalNorm = finalNorm;
    }

    /**
     * Runs block {@code layer} on the residual stream x [T × d] in place; {@code keep} (if not null)
     * receives the layer's keys and values.
     */
    abstract void forwardLayer(int layer, float[] x, PackedBatch batch, List<KvPrefix> keep, Workspace ws);

    /** The residual stream's first value, [T × d]: the tokens' embeddings (a family may scale them). */
    float[] embed(int[] tokens) {
        return embedding.lookup(tokens);
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public PackedHidden forward(List<int[]> sequences) {
        return run(PackedBatch.of(sequences, config.vocabSize()), null);
    }

    @Override
    public CachedPrefix prefill(int[] tokens) {
        List<KvPrefix> keep = new ArrayList<>(layerCount);
        PackedHidden h = run(PackedBatch.of(List.of(tokens), config.vocabSize()), keep);
        return new CachedPrefix(tokens, keep, h.sumOf(0, null));
    }

    /**
     * Continues a cached prefix: positions start after it and attention sees its keys first (a
     * sliding window is counted over the prefix's positions and the sequence's own alike).
     */
    @Override
    public PackedHidden forward(List<int[]> suffixes, CachedPrefix prefix) {
        if (prefix.layers().size() != layerCount) {
            return TransformerModel.super.forward(suffixes, prefix); // not built by this model's prefill
        }
        return run(PackedBatch.after(prefix, suffixes, config.vocabSize()), null);
    }

    /** The forward pass; {@code keep} (if not null) collects every layer's keys and values. */
    private PackedHidden run(PackedBatch batch, List<KvPrefix> keep) {
        float[] x = embed(batch.tokens()); // residual stream [T × d]
        Workspace ws = workspaces.take();
        try {
            for (int i = 0; i < layerCount; i++) {
                forwardLayer(i, x, batch, keep, ws);
            }
        } finally {
            workspaces.give(ws);
        }
        finalNorm.apply(kernels, x, batch.tokenCount(), x); // in place: the stream is not needed after
        return new PackedHidden(x, batch.offsets().clone(), config.dim());
    }

    @Override
    public void close() {
        kernels.close();
    }
}
