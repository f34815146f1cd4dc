package dev.sentemb.embed;

import dev.sentemb.strategy.EmbeddingStrategy;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * Cuts a sentence so that its prompt fits a token limit: the sentence loses its last tokens, the
 * template never loses any (a prompt cut at the end would lose the PromptEOL tail whose last token is
 * the embedding). The sentence is tokenized alone, cut, decoded and put back in the template, as
 * sentence-transformers' and TEI's {@code truncate} users expect and as the training recipe cuts its
 * sentences, so the embedding is exactly the cut sentence's.
 */
final class SentenceTruncation {
    private SentenceTruncation() {}

    /** The cut sentence with its prompt and ids. */
    record Fitted(String sentence, String prompt, int[] ids) {}

    /**
     * @param promptTokens the whole prompt's length (over {@code limit})
     * @return the longest cut that fits, or null when not even an empty sentence does (the template alone is over the limit)
     */
    static Fitted fit(String sentence, int promptTokens, int limit, EmbeddingStrategy strategy, Tokenizer tokenizer) {
        int[] ids = tokenizer.encode(sentence, false);
        // The template's share is about promptTokens - ids.length; token merges across the boundary can
        // shift it by a few, so the cut is retried shorter until the prompt fits (a handful of tries).
        int keep = ids.length - (promptTokens - limit);
        for (int attempt = 0; attempt < 64 && keep >= 0; attempt++) {
            String cut = tokenizer.decode(Arrays.copyOf(ids, keep));
            String prompt = strategy.prompt(cut);
            int[] promptIds = strategy.tokens(prompt, tokenizer);
            if (promptIds.length <= limit) {
                return new Fitted(cut, prompt, promptIds);
            }
            keep -= Math.max(1, promptIds.length - limit);
        }
        return null;
    }
}
