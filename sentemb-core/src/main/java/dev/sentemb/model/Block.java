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
}
