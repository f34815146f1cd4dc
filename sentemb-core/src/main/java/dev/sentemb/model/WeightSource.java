package dev.sentemb.model;

import dev.sentemb.kernel.WeightMatrix;
import java.util.Optional;

/**
 * Where an architecture gets its tensors, by llama.cpp's canonical names ({@code blk.0.attn_q.weight},
 * {@code token_embd.weight}, ...): a GGUF file answers them directly, a Hugging Face checkpoint
 * translates them to its own names. Shapes are checked on lookup so that a wrong file fails at load
 * time naming the tensor. Matrices stay in their stored encoding; vectors are decoded to fp32 once.
 */
interface WeightSource {

    /** W [rows × cols] (an output feature per row). */
    WeightMatrix matrix(String name, int rows, int cols);

    /** A 1-D tensor of {@code length} values, when present. */
    Optional<float[]> optionalVector(String name, int length);

    /** Whether the source has a tensor of this name. */
    boolean has(String name);

    default float[] vector(String name, int length) {
        return optionalVector(name, length).orElseThrow(() -> new ModelFormatException("missing tensor " + name + " in " + describe()));
    }

    /** A projection with its weight and, when the source has one, its bias ({@code <prefix>.bias}). */
    default Linear linear(String prefix, int out, int in) {
        return new Linear(matrix(prefix + ".weight", out, in), optionalVector(prefix + ".bias", out).orElse(null));
    }

    /** transformers' module name of the projection {@code prefix} (e.g. {@code layers.0.self_attn.q_proj}): what a PEFT adapter calls it. */
    String moduleName(String prefix);

    /**
     * Heads whose rows this source stores permuted into llama.cpp's adjacent-pair rotary order for the
     * projection {@code prefix} (GGUF llama's q and k), 0 when stored as transformers stores them: an
     * adapter's update must be permuted the same way.
     */
    default int permutedHeads(String prefix) {
        return 0;
    }

    /** The file or directory, for messages. */
    String describe();
}
