package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import java.util.ArrayList;
import java.util.List;

/**
 * The one layer loop every architecture runs: embed the packed tokens into the residual stream, run the
 * blocks in order (stopping early when the pass asks for an earlier layer, calling the pass's hook after
 * each), then finish (the final norm, and for OPT its output projection). The shared-prefix cache lives
 * here too: {@link #prefill} keeps every block's keys and values, and
 * {@link #forward(List, CachedPrefix, PassOptions)} continues them. An architecture supplies its blocks,
 * its embedding and its finish.
 */
abstract class DecoderStack implements TransformerModel {
    protected final ModelConfig config;
    protected final Kernels kernels;
    private final List<? extends Block> blocks;
    private final Workspace.Pool workspaces = new Workspace.Pool();
    /** Released by {@link #close}: what the loader opened for this model alone (kernels of its own), or null. */
    private volatile AutoCloseable owned;

    DecoderStack(ModelConfig config, Kernels kernels, List<? extends Block> blocks) {
        this.config = config;
        this.kernels = kernels;
        this.blocks = List.copyOf(blocks);
    }

    /** The blocks in order. */
    final List<? extends Block> blocks() {
        return blocks;
    }

    /** The residual stream's first value, [T × d] (HF's {@code hidden_states[0]}). */
    abstract float[] embed(PackedBatch batch);

    /** The final hidden states [T × outputDim] from the last block's stream; may work in place. */
    abstract float[] finish(float[] x, int rows);

    /** Hands the model something to release when it is closed (kernels created for it alone). */
    final void ownAlso(AutoCloseable resource) {
        this.owned = resource;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public final PackedHidden forward(List<int[]> sequences, CachedPrefix prefix, PassOptions pass) {
        if (prefix == null) {
            return run(PackedBatch.of(sequences, config.vocabSize()), null, pass);
        }
        if (!prefix.pass().equals(pass) || prefix.layers().size() != pass.resolve(blocks.size())) {
            throw new IllegalArgumentException("a prefix cached for " + prefix.pass() + " cannot continue a pass for " + pass);
        }
        return run(PackedBatch.after(prefix, sequences, config.vocabSize()), null, pass);
    }

    @Override
    public final CachedPrefix prefill(int[] tokens, PassOptions pass) {
        List<KvPrefix> keep = new ArrayList<>(blocks.size());
        PackedHidden h = run(PackedBatch.of(List.of(tokens), config.vocabSize()), keep, pass);
        return new CachedPrefix(tokens, keep, h.sumOf(0, null), pass);
    }

    /** The forward pass; {@code keep} (if not null) collects every block's keys and values. */
    private PackedHidden run(PackedBatch batch, List<KvPrefix> keep, PassOptions pass) {
        int stop = pass.resolve(blocks.size());
        int rows = batch.tokenCount();
        float[] x = embed(batch); // residual stream [T × d]
        LayerStates view = pass.hook() == null ? null : new LayerStates(x, batch, config.dim());
        Workspace ws = workspaces.take();
        try {
            for (int i = 0; i < stop; i++) {
                blocks.get(i).forward(kernels, x, batch, i, keep, ws);
                if (view != null) {
                    pass.hook().afterLayer(i + 1, view);
                }
            }
        } finally {
            workspaces.give(ws);
        }
        if (stop < blocks.size()) {
            return new PackedHidden(x, batch.offsets().clone(), config.dim());
        }
        return new PackedHidden(finish(x, rows), batch.offsets().clone(), outputDim());
    }

    @Override
    public void close() {
        AutoCloseable o = owned;
        owned = null;
        if (o != null) {
            try {
                o.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + o, e);
            }
        }
    }
}
