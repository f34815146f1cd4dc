package dev.sentemb.model;

import dev.sentemb.kernel.WeightMatrix;
import java.util.Optional;

/** A weight source that answers as {@code base} does; a decorator overrides what it changes (usually {@link #linear}). */
abstract class DelegatingWeights implements WeightSource {
    protected final WeightSource base;

    DelegatingWeights(WeightSource base) {
        this.base = base;
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
        return base.linear(prefix, out, in);
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
        return base.describe();
    }
}
