package dev.sentemb.model;

import dev.sentemb.kernel.WeightMatrix;
import java.util.Optional;

/**
 * Any weight source with a PEFT LoRA adapter on top: every projection the adapter targets (found by
 * transformers' module name, which the source knows) gets its update; the rest passes through. Where
 * the source stores rows permuted (GGUF llama's q/k, in llama.cpp's adjacent-pair rotary order) the
 * adapter's B rows get the same permutation, so the update lands on the rows it was trained for.
 */
final class AdaptedWeights implements WeightSource {
    private final WeightSource base;
    private final LoraAdapter adapter;

    private AdaptedWeights(WeightSource base, LoraAdapter adapter) {
        this.base = base;
        this.adapter = adapter;
    }

    /** {@code base} with {@code adapter} applied, or {@code base} itself when the adapter is null. */
    static WeightSource over(WeightSource base, LoraAdapter adapter) {
        return adapter == null ? base : new AdaptedWeights(base, adapter);
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
        return adapter.apply(base.moduleName(prefix), base.linear(prefix, out, in), base.permutedHeads(prefix));
    }

    @Override
    public String moduleName(String prefix) {
        return base.moduleName(prefix);
    }

    @Override
    public int permutedHeads(String prefix) {
        return base.permutedHeads(prefix);
    }

    @Override
    public String describe() {
        return base.describe() + " + adapter " + adapter.directory();
    }
}
