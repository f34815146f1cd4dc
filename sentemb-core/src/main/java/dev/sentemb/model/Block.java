package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
import java.util.List;

/**
 * One block of a decoder stack over the residual stream. What a pass keeps is the caller's choice:
 * {@code keep} (not null) receives the block's keys and values (a prefix being cached), and nothing else
 * outlives the call; the workspace only lends buffers.
 */
interface Block {
    /**
     * Updates x [T × d] in place as layer {@code layer} of the model (which cached prefix layer the batch
     * attends to first).
     */
    void forward(Kernels kernels, float[] x, PackedBatch batch, int layer, List<KvPrefix> keep, Workspace ws);

    /**
     * {@link #forward} for a reader of each sequence's last token alone: attention as usual (every row's keys,
     * values and context, since the last token attends to them all), everything after it for the sequences'
     * last rows only. Returns those rows' output [sequences × d], the same bits {@link #forward} gives them;
     * x is left as the input or partly updated, and must not be read again.
     */
    float[] forwardLastRows(Kernels kernels, float[] x, PackedBatch batch, int layer, Workspace ws);

    /** What a training forward keeps for its backward. */
    interface Saved {}

    /**
     * Training forward of layer {@code layer} over a batch without prefix: x [T × d] updated in place,
     * LoRA inputs dropped out by the pass's masks; its LoRA sites are 8·layer + 0..7.
     */
    Saved forwardTrain(Kernels kernels, float[] x, PackedBatch batch, int layer, Pass pass);

    /**
     * Backward: dx [T × d], the gradient with respect to the block's output, becomes in place the gradient
     * with respect to its input; LoRA gradients go into the pass's accumulators. With {@code needInput}
     * false the input gradient may be left unformed (nothing below takes a gradient).
     */
    void backward(Kernels kernels, Saved saved, PackedBatch batch, float[] dx, int layer, Pass pass, boolean needInput);

    /** The block's projections (for accounting: which of them are packed, how many bytes). */
    List<Linear> linears();
}
