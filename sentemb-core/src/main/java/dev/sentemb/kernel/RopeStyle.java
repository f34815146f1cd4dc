package dev.sentemb.kernel;

/**
 * Which dimensions of a head RoPE rotates together. The same model can need either depending on how
 * its weights were written: llama.cpp's converter permutes llama Q/K rows so that GGUF llama uses
 * {@link #NORM}, while qwen2 and gemma keep the Hugging Face order and use {@link #NEOX}. Attention
 * only sees q·k, so either layout gives exactly the hidden states of the un-permuted HF model.
 */
public enum RopeStyle {
    /** Adjacent pairs (x[2i], x[2i+1]) rotate by θ_i (ggml "normal" mode). */
    NORM,
    /** Half-split pairs (x[i], x[i + d/2]) rotate by θ_i (GPT-NeoX / HF rotate_half). */
    NEOX
}
