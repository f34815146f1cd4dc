package dev.sentemb.train;

import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Training examples to prompt token ids, as the reference prepares them: each sentence is tokenized without
 * special tokens, cut to its first {@code maxSentenceTokens} tokens and decoded back to text, then put into
 * the template as it is (no SentEval clean-up) and tokenized as a whole prompt (the tokenizer's own
 * special tokens included). Equal sentences are prepared once.
 */
public final class TrainingPrompts {
    private TrainingPrompts() {}

    /**
     * Rows [anchor, positive, hard negative or null] of ids, one per usable example; an example with a
     * prompt longer than {@code maxPromptTokens} is reported to {@code skipped} and left out.
     */
    public static List<int[][]> prepare(List<Triplet> data, Tokenizer tokenizer, PromptTemplate template, int maxSentenceTokens,
            int maxPromptTokens, Consumer<String> skipped) {
        Map<String, int[]> seen = new HashMap<>();
        List<int[][]> out = new ArrayList<>(data.size());
        for (Triplet t : data) {
            int[][] row = new int[3][];
            String[] s = {t.anchor(), t.positive(), t.hardNegative()};
            boolean ok = true;
            for (int i = 0; i < 3 && ok; i++) {
                if (s[i] == null) {
                    continue;
                }
                row[i] = seen.computeIfAbsent(s[i], x -> prompt(x, tokenizer, template, maxSentenceTokens));
                if (row[i].length > maxPromptTokens) {
                    skipped.accept("line " + t.line() + ": a prompt of " + row[i].length + " tokens is longer than the model's "
                            + maxPromptTokens);
                    ok = false;
                }
            }
            if (ok) {
                out.add(row);
            }
        }
        return out;
    }

    /** One sentence's prompt ids. */
    public static int[] prompt(String sentence, Tokenizer tokenizer, PromptTemplate template, int maxSentenceTokens) {
        int[] ids = tokenizer.encode(sentence, false);
        String cut = ids.length > maxSentenceTokens ? tokenizer.decode(Arrays.copyOf(ids, maxSentenceTokens)) : tokenizer.decode(ids);
        return tokenizer.encode(template.renderRaw(cut));
    }
}
