package dev.sentemb.strategy;

import dev.sentemb.model.PassOptions;
import dev.sentemb.model.PromptStates;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.List;

/**
 * How a sentence becomes a vector, on any model: the text the model reads, the shared prefixes worth
 * caching, what a pass returns (which layer, a hook between layers), and how one prompt's states become
 * the embedding. PromptEOL is one strategy ({@link PromptEolStrategy}); the engine runs them all alike.
 * Implementations are immutable and thread-safe.
 */
public interface EmbeddingStrategy {

    /** The text the model reads for {@code sentence}; equal prompts are computed once. */
    String prompt(String sentence);

    /** The prompt's token ids (the tokenizer's own special tokens included). */
    default int[] tokens(String prompt, Tokenizer tokenizer) {
        return tokenizer.encode(prompt);
    }

    /**
     * Token prefixes that many prompts start with, longest or most useful first: each is computed once
     * and its keys and values reused. Exactness does not rest on them: a prompt continues a prefix only
     * if its own ids begin with it. Empty: no sharing.
     */
    List<int[]> prefixCandidates(Tokenizer tokenizer);

    /** What the forward pass returns for this strategy (output layer, hook). */
    PassOptions pass();

    /** One prompt's states (at {@link #pass()}'s layer) to its embedding. */
    float[] pool(PromptStates states);

    /**
     * This strategy worked out for one tokenizer, which is what an encoder runs: a strategy whose token layout
     * depends on the tokenizer (pieces tokenized apart, a span found by their lengths) fixes it here, once.
     */
    default EmbeddingStrategy forTokenizer(Tokenizer tokenizer) {
        return this;
    }

    /**
     * This strategy worked out for one loaded model, which is what an encoder runs: {@link #forTokenizer}, and for a
     * strategy whose layers or added tokens depend on the model (its depth, its vocabulary), those fixed here.
     */
    default EmbeddingStrategy bind(Tokenizer tokenizer, dev.sentemb.model.ModelConfig config) {
        return forTokenizer(tokenizer);
    }

    /**
     * The settings this strategy was bound to, when the model chose them (Token Prepending's layers, Contrastive
     * Prompting's block and output): what a cache of its vectors must key on beside the prompt. Empty by default.
     */
    default String boundSettings() {
        return "";
    }

    /** A short description for logs and reports. */
    String describe();
}
