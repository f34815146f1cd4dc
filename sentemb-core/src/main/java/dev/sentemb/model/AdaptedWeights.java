package dev.sentemb.model;

import dev.sentemb.kernel.WeightMatrix;
import java.util.Optional;

/**
 * A GGUF weight source with a PEFT LoRA adapter on top. Adapters name modules as transformers does,
 * so canonical names are mapped to HF module names; for GGUF llama (whose q/k rows llama.cpp
 * permuted into adjacent-pair rotary order) the adapter's B rows of q_proj/k_proj get the same
 * permutation, so the update lands on the rows it was trained for.
 */
final class AdaptedWeights implements WeightSource {
    private final WeightSource base;
    private final LoraAdapter adapter;
    private final ModelConfig config;
    private final boolean permutedQk;

    AdaptedWeights(WeightSource base, LoraAdapter adapter, ModelConfig config, boolean permutedQk) {
        this.base = base;
        this.adapter = adapter;
        this.config = config;
        this.permutedQk = permutedQk;
    }

    @Override
    public WeightMatrix matrix(String name, int rows, int cols) {
        return base.matrix(name, rows, cols);
    }

    @Override
    public Optional<float[]> optionalVector(String name, int length) {
        return base.optionalVector(name, length);
    }

    @Override
    public boolean has(String name) {
        return base.has(name);
    }

    @Override
    public Linear linear(String prefix, int out, int in) {
        int heads = !permutedQk ? 0 : prefix.endsWith(".attn_q") ? config.heads() : prefix.endsWith(".attn_k") ? config.kvHeads() : 0;
        return adapter.apply(HfModels.llamaName(prefix), base.linear(prefix, out, in), heads);
    }

    @Override
    public String describe() {
        return base.describe() + " + adapter " + adapter.directory();
    }
}
