package dev.sentemb.strategy;

import dev.sentemb.SentembException;
import dev.sentemb.model.PassOptions;
import dev.sentemb.model.PromptStates;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Echo embeddings (Springer et al. 2024, "Repetition Improves Language Model Embeddings"): the sentence is
 * read twice, {@code Rewrite the following sentence: x\nThe rewritten sentence: x} followed by the EOS token
 * (after the model's BOS when its tokenizer adds one), so every token of the second copy has seen the whole
 * sentence; the embedding is the mean of the final hidden states over the second copy and the EOS.
 *
 * <p>As the authors' parser does, every piece (the head, each copy, the middle, the EOS) is tokenized on its own
 * and the ids are joined, so a copy's first token does not merge with the text before it; the head (BOS
 * included) is the same for every sentence and is the shared prefix. The pieces' lengths depend on the
 * tokenizer: {@link #forTokenizer} returns the strategy worked out for one, which is what an encoder runs.
 *
 * @param head   the text before the first copy
 * @param middle the text between the copies
 */
public record EchoStrategy(String head, String middle) implements EmbeddingStrategy {
    /** The authors' zero-shot wording. */
    public static final EchoStrategy ZERO_SHOT = new EchoStrategy("Rewrite the following sentence: ", "\nThe rewritten sentence: ");

    public EchoStrategy {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(middle, "middle");
    }

    @Override
    public String prompt(String sentence) {
        return head + sentence + middle + sentence;
    }

    @Override
    public int[] tokens(String prompt, Tokenizer tokenizer) {
        return forTokenizer(tokenizer).tokens(prompt, tokenizer);
    }

    @Override
    public List<int[]> prefixCandidates(Tokenizer tokenizer) {
        return forTokenizer(tokenizer).prefixCandidates(tokenizer);
    }

    @Override
    public PassOptions pass() {
        return PassOptions.FINAL;
    }

    @Override
    public float[] pool(PromptStates states) {
        throw new IllegalStateException("echo pooling needs the tokenizer's piece lengths: run forTokenizer(tokenizer) first");
    }

    @Override
    public EmbeddingStrategy forTokenizer(Tokenizer tokenizer) {
        return new Bound(this, tokenizer);
    }

    @Override
    public String describe() {
        return "Echo (Springer et al. 2024), mean over the second copy and EOS";
    }

    /** The sentence inside a prompt this strategy rendered (both copies are the same text). */
    String sentenceOf(String prompt) {
        int rest = prompt.length() - head.length() - middle.length();
        if (!prompt.startsWith(head) || rest < 0 || rest % 2 != 0
                || !prompt.startsWith(middle, head.length() + rest / 2)) {
            throw new SentembException("not an echo prompt: '" + SentembException.capped(prompt) + "'");
        }
        return prompt.substring(head.length(), head.length() + rest / 2);
    }

    /** The strategy for one tokenizer: BOS, the head's and middle's ids and the EOS id, fixed once. */
    private static final class Bound implements EmbeddingStrategy {
        private final EchoStrategy echo;
        private final Tokenizer tokenizer;
        private final int[] prefix; // BOS (when the tokenizer adds one) + the head's ids
        private final int[] middle;
        private final int eos;

        Bound(EchoStrategy echo, Tokenizer tokenizer) {
            this.echo = echo;
            this.tokenizer = tokenizer;
            int[] bos = tokenizer.bosId().isPresent() && startsWithBos(tokenizer) ? new int[] {tokenizer.bosId().getAsInt()} : new int[0];
            this.prefix = concat(bos, tokenizer.encode(echo.head, false));
            this.middle = tokenizer.encode(echo.middle, false);
            this.eos = tokenizer.eosId().orElseThrow(() -> new SentembException(
                    "echo embeddings end the prompt with the EOS token, and this model's tokenizer has none"));
        }

        private static boolean startsWithBos(Tokenizer t) {
            int[] ids = t.encode("x", true);
            return ids.length > 0 && ids[0] == t.bosId().getAsInt();
        }

        @Override
        public String prompt(String sentence) {
            return echo.prompt(sentence);
        }

        @Override
        public int[] tokens(String prompt, Tokenizer t) {
            if (t != tokenizer) {
                return echo.forTokenizer(t).tokens(prompt, t);
            }
            int[] copy = tokenizer.encode(echo.sentenceOf(prompt), false);
            return concat(prefix, copy, middle, copy, new int[] {eos});
        }

        @Override
        public List<int[]> prefixCandidates(Tokenizer t) {
            return prefix.length == 0 ? List.of() : List.of(prefix.clone());
        }

        @Override
        public PassOptions pass() {
            return PassOptions.FINAL;
        }

        /** The mean over the last k + 1 rows: the second copy (k tokens, as many as the first) and the EOS. */
        @Override
        public float[] pool(PromptStates states) {
            int length = states.length();
            int copies = length - prefix.length - middle.length - 1;
            if (copies < 0 || copies % 2 != 0) {
                throw new IllegalStateException("a prompt of " + length + " tokens is not an echo prompt of this tokenizer");
            }
            int from = length - 1 - copies / 2;
            float[] sum = new float[states.dim()];
            for (int t = from; t < length; t++) {
                float[] row = states.row(t);
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += row[i];
                }
            }
            float n = length - from;
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= n;
            }
            return sum;
        }

        @Override
        public EmbeddingStrategy forTokenizer(Tokenizer t) {
            return t == tokenizer ? this : echo.forTokenizer(t);
        }

        @Override
        public String describe() {
            return echo.describe();
        }

        private static int[] concat(int[]... parts) {
            return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
        }
    }
}
