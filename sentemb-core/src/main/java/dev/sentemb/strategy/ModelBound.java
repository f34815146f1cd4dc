package dev.sentemb.strategy;

import dev.sentemb.model.PassOptions;
import dev.sentemb.model.PromptStates;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.List;

/**
 * A strategy whose pass depends on the model it runs on (its depth, its vocabulary): what it runs is known only
 * once {@link #bind} has fixed it, and these methods of the unbound form say so.
 */
interface ModelBound extends EmbeddingStrategy {
    @Override
    default List<int[]> prefixCandidates(Tokenizer tokenizer) {
        throw unbound();
    }

    @Override
    default PassOptions pass() {
        throw unbound();
    }

    @Override
    default float[] pool(PromptStates states) {
        throw unbound();
    }

    private IllegalStateException unbound() {
        return new IllegalStateException(describe() + " needs the model: bind(tokenizer, config) first");
    }
}
