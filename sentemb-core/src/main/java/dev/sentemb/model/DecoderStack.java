package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import dev.sentemb.kernel.PackedMatrix;
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

    /** A training pass's value at one end of the stack, with what that end's backward needs. */
    record End(float[] value, Object saved) {}

    /**
     * The stream's first value for a training pass. The embeddings are frozen, so by default nothing is kept;
     * an architecture with a trainable layer at the bottom (OPT's project_in) keeps its input.
     */
    End embedTrain(PackedBatch batch, Pass pass) {
        return new End(embed(batch), null);
    }

    /** Whether {@link #embedBackward} takes a gradient (the first block must then form its input gradient). */
    boolean embedTakesGradient() {
        return false;
    }

    /** From dx [T × d] at the stream's first value, the LoRA gradients of the embedding's layers, if any. */
    void embedBackward(Object saved, PackedBatch batch, float[] dx, Pass pass) {
    }

    /** The final hidden states of a training pass from the last block's stream x (its own now: it may keep or overwrite it). */
    abstract End finishTrain(float[] x, int rows, Pass pass);

    /** From dHidden [T × outputDim], the gradient at the last block's stream [T × d]. */
    abstract float[] finishBackward(Object saved, int rows, float[] dHidden, Pass pass);

    /** LoRA sites of the layers outside the blocks (OPT's project_in and project_out) come after every block's. */
    final int endSite(int which) {
        return 8 * blocks.size() + which;
    }

    @Override
    public final java.util.Optional<Differentiable> differentiable() {
        return java.util.Optional.of(new Differentiable() {
            @Override
            public Tape forward(List<int[]> sequences, long[] sequenceKeys, LoraDropout dropout, boolean keep) {
                return trainForward(sequences, sequenceKeys, dropout, keep);
            }

            @Override
            public void backward(Tape tape, float[] dHidden, LoraGradients grads) {
                trainBackward(tape, dHidden, grads);
            }
        });
    }

    private Differentiable.Tape trainForward(List<int[]> sequences, long[] sequenceKeys, LoraDropout dropout, boolean keep) {
        PackedBatch batch = PackedBatch.of(sequences, config.vocabSize());
        if (sequenceKeys.length != batch.sequenceCount()) {
            throw new IllegalArgumentException(sequenceKeys.length + " sequence keys for " + batch.sequenceCount() + " sequences");
        }
        int rows = batch.tokenCount();
        long[] rowKeys = new long[rows];
        int[] offsets = batch.offsets();
        for (int s = 0; s < batch.sequenceCount(); s++) {
            for (int t = offsets[s]; t < offsets[s + 1]; t++) {
                rowKeys[t] = dropout.rowKey(sequenceKeys[s], t - offsets[s]);
            }
        }
        Pass pass = new Pass(dropout, rowKeys, null);
        End start = embedTrain(batch, pass);
        float[] x = start.value();
        List<Block.Saved> saved = keep ? new ArrayList<>(blocks.size()) : null;
        for (int i = 0; i < blocks.size(); i++) {
            Block.Saved s = blocks.get(i).forwardTrain(kernels, x, batch, i, pass);
            if (keep) {
                saved.add(s);
            }
        }
        End end = finishTrain(x, rows, pass); // no saved block refers to the last stream
        return new Differentiable.Tape(batch, rowKeys, dropout, saved, keep ? start.saved() : null, keep ? end.saved() : null, end.value());
    }

    private void trainBackward(Differentiable.Tape tape, float[] dHidden, LoraGradients grads) {
        if (!tape.kept()) {
            throw new IllegalStateException("the tape of a forward-only pass has no activations to go backward through");
        }
        PackedBatch batch = tape.batch;
        int rows = batch.tokenCount();
        Pass pass = new Pass(tape.dropout, tape.rowKeys, grads);
        float[] dx = finishBackward(tape.end, rows, dHidden, pass);
        boolean bottom = embedTakesGradient();
        for (int i = blocks.size() - 1; i >= 0; i--) {
            blocks.get(i).backward(kernels, tape.layers.get(i), batch, dx, i, pass, i > 0 || bottom);
            tape.layers.set(i, null); // free as we go
        }
        if (bottom) {
            embedBackward(tape.start, batch, dx, pass);
        }
    }

    /** Hands the model something to release when it is closed (kernels created for it alone). */
    final void ownAlso(AutoCloseable resource) {
        this.owned = resource;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public final PackedHidden forward(List<int[]> sequences, CachedPrefix prefix, PassOptions pass, float[][] sides) {
        if (prefix != null && (!prefix.pass().equals(pass) || prefix.layers().size() != pass.resolve(blocks.size()))) {
            throw new IllegalArgumentException("a prefix cached for " + prefix.pass() + " cannot continue a pass for " + pass);
        }
        return run(PackedBatch.after(prefix, sequences, config.vocabSize(), pass, sides), null, pass);
    }

    @Override
    public final CachedPrefix prefill(int[] tokens, PassOptions pass) {
        List<KvPrefix> keep = new ArrayList<>(blocks.size());
        PackedHidden h = run(PackedBatch.after(null, List.of(tokens), config.vocabSize(), pass, null), keep, pass);
        return new CachedPrefix(tokens, keep, h.sumOf(0, null), pass);
    }

    /** The forward pass; {@code keep} (if not null) collects every block's keys and values. */
    private PackedHidden run(PackedBatch batch, List<KvPrefix> keep, PassOptions pass) {
        int stop = pass.resolve(blocks.size());
        int rows = batch.tokenCount();
        float[] x = embed(batch); // residual stream [T × d]
        LayerStates view = pass.hook() == null ? null : new LayerStates(x, batch, config.dim());
        if (view != null) {
            pass.hook().afterLayer(0, view);
        }
        // a reader of the last tokens alone: the last block runs its attention for every row, the rest for those
        // rows only (a prefix being cached keeps every row: its states' sum serves mean pooling)
        boolean lastOnly = keep == null && pass.lastRowsOnly() && stop > 0;
        float[] last = null;
        Workspace ws = workspaces.take();
        try {
            for (int i = 0; i < stop; i++) {
                if (lastOnly && i == stop - 1) {
                    Block b = blocks.get(i);
                    int layer = i;
                    last = PackedMatrix.countedAsPassOf(rows, () -> b.forwardLastRows(kernels, x, batch, layer, ws));
                } else {
                    blocks.get(i).forward(kernels, x, batch, i, keep, ws);
                }
                if (view != null) {
                    pass.hook().afterLayer(i + 1, view);
                }
            }
        } finally {
            workspaces.give(ws);
        }
        if (last != null) {
            int n = batch.sequenceCount();
            return stop < blocks.size()
                    ? new PackedHidden(last, batch.offsets().clone(), config.dim(), batch.sides(), true)
                    : new PackedHidden(finish(last, n), batch.offsets().clone(), outputDim(), batch.sides(), true);
        }
        if (stop < blocks.size()) {
            return new PackedHidden(x, batch.offsets().clone(), config.dim(), batch.sides());
        }
        return new PackedHidden(finish(x, rows), batch.offsets().clone(), outputDim(), batch.sides());
    }

    @Override
    public long packedWeightBytes() {
        long sum = 0;
        for (Block b : blocks) {
            for (Linear l : b.linears()) {
                if (l.weight() instanceof PackedMatrix p) {
                    sum += p.byteSize();
                }
            }
        }
        return sum;
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
