package dev.sentemb.model;

import java.util.List;

/**
 * A model's training passes, for LoRA training: a forward pass over packed sequences that keeps what the
 * backward pass needs, and a backward pass from a gradient on the final hidden states into the gradients
 * of the LoRA factors the model runs with. The base weights stay frozen and as they are stored.
 */
public interface Differentiable {

    /**
     * The final hidden states [T × d] of the packed sequences (no prefix), with LoRA input dropout keyed by
     * {@code sequenceKeys} (one per sequence: the same key and token meet the same mask). With {@code keep}
     * false the activations are dropped as the pass goes (a forward-only pass with training's masks).
     */
    Tape forward(List<int[]> sequences, long[] sequenceKeys, LoraDropout dropout, boolean keep);

    /**
     * Adds dL/dA and dL/dB of every LoRA factor into {@code grads}, from dHidden [T × d], the loss's
     * gradient with respect to the tape's final hidden states. A tape is used once.
     */
    void backward(Tape tape, float[] dHidden, LoraGradients grads);

    /** A training forward's result and keepings. */
    final class Tape {
        final PackedBatch batch;
        final long[] rowKeys;
        final LoraDropout dropout;
        final List<Block.Saved> layers;
        /** What the architecture's ends kept: the embedding's (OPT's project_in) and the finish's. */
        final Object start, end;
        private final float[] hidden;

        Tape(PackedBatch batch, long[] rowKeys, LoraDropout dropout, List<Block.Saved> layers, Object start, Object end, float[] hidden) {
            this.batch = batch;
            this.rowKeys = rowKeys;
            this.dropout = dropout;
            this.layers = layers;
            this.start = start;
            this.end = end;
            this.hidden = hidden;
        }

        /** The final hidden states [T × d]. */
        public float[] hidden() {
            return hidden;
        }

        /** Sequence boundaries: sequence s owns rows offsets[s] .. offsets[s+1]-1. */
        public int[] offsets() {
            return batch.offsets().clone();
        }

        public int tokenCount() {
            return batch.tokenCount();
        }

        /** Whether the tape kept activations (a backward pass is possible). */
        public boolean kept() {
            return layers != null;
        }
    }
}
