package dev.sentemb.model;

/**
 * Any weight source with a PEFT LoRA adapter on top: every projection the adapter targets (found by
 * transformers' module name, which the source knows) gets its update; the rest passes through. Where
 * the source stores rows permuted (GGUF llama's q/k, in llama.cpp's adjacent-pair rotary order) the
 * adapter's B rows get the same permutation, so the update lands on the rows it was trained for.
 */
final class AdaptedWeights extends DelegatingWeights {
    private final LoraAdapter adapter;

    private AdaptedWeights(WeightSource base, LoraAdapter adapter) {
        super(base);
        this.adapter = adapter;
    }

    /** {@code base} with {@code adapter} applied, or {@code base} itself when the adapter is null. */
    static WeightSource over(WeightSource base, LoraAdapter adapter) {
        return adapter == null ? base : new AdaptedWeights(base, adapter);
    }

    @Override
    public Linear linear(String prefix, int out, int in) {
        return adapter.apply(base.moduleName(prefix), base.linear(prefix, out, in), base.permutedHeads(prefix));
    }

    @Override
    public String describe() {
        return base.describe() + (adapter.directory() == null ? " + a new LoRA " + adapter.targets() : " + adapter " + adapter.directory());
    }
}
