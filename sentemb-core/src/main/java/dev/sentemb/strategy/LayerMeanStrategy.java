package dev.sentemb.strategy;

import dev.sentemb.SentembException;
import dev.sentemb.model.LayerHook;
import dev.sentemb.model.LayerStates;
import dev.sentemb.model.ModelConfig;
import dev.sentemb.model.PassOptions;
import dev.sentemb.model.PromptStates;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.List;
import java.util.Objects;

/**
 * The last token's state averaged over a range of layers, {@code hidden_states[from..to]} (both included, Hugging
 * Face's indices: 0 the embeddings, the model's depth the final norm's output; negative counts from the end), instead
 * of one layer's, for a strategy that reads the last token (PromptEOL with last-token pooling, Token Prepending). One
 * pass through layer {@code to}: a hook adds each layer's last row into the sentence's side vector; the prompt, the
 * shared prefix and any hook of the base strategy are kept as they are. The mean is taken in float, layer after layer.
 */
public record LayerMeanStrategy(EmbeddingStrategy base, int from, int to) implements ModelBound {
    public LayerMeanStrategy {
        Objects.requireNonNull(base, "base");
        PassOptions.checkLayer(from);
        PassOptions.checkLayer(to);
        if (!(base instanceof PromptEolStrategy p && p.pooling() == Pooling.LAST) && !(base instanceof TokenPrependingStrategy)) {
            throw new SentembException("a mean over layers reads the last token: it applies to PromptEOL with last-token pooling "
                    + "(and its templates) or Token Prepending, not to " + base.describe());
        }
    }

    /** "20:30" or "-8:-1" as the CLI writes it. */
    public static LayerMeanStrategy parse(EmbeddingStrategy base, String range) {
        String[] p = range.split(":", -1);
        try {
            if (p.length != 2) {
                throw new NumberFormatException();
            }
            return new LayerMeanStrategy(base, Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
        } catch (NumberFormatException e) {
            throw new SentembException("layer range '" + range + "': expected FROM:TO, hidden_states indices, e.g. 20:30 or -8:-1");
        }
    }

    @Override
    public String prompt(String sentence) {
        return base.prompt(sentence);
    }

    @Override
    public int[] tokens(String prompt, Tokenizer tokenizer) {
        return base.tokens(prompt, tokenizer);
    }

    @Override
    public EmbeddingStrategy bind(Tokenizer tokenizer, ModelConfig config) {
        int depth = config.layers();
        int a = PassOptions.layer(from).resolve(depth);
        int b = PassOptions.layer(to).resolve(depth);
        if (a > b) {
            throw new SentembException("layer range " + from + ":" + to + " is empty on a model of " + depth + " layers (" + a + " > " + b + ")");
        }
        return new Bound(this, base.bind(tokenizer, config), a, b, depth);
    }

    @Override
    public String describe() {
        return base.describe() + ", mean over layers " + from + ".." + to;
    }


    /** Adds the last row of each layer in [from, upTo] to the sequence's side vector, after the base's hook. */
    private record Accumulate(LayerHook base, int from, int upTo) implements LayerHook {
        @Override
        public void afterLayer(int layer, LayerStates states) {
            if (base != null) {
                base.afterLayer(layer, states);
            }
            if (layer < from || layer > upTo) {
                return;
            }
            for (int s = 0; s < states.sequenceCount(); s++) {
                float[] row = states.row(s, states.length(s) - 1);
                float[] sum = states.side(s);
                if (sum == null) {
                    states.setSide(s, row);
                } else {
                    for (int i = 0; i < row.length; i++) {
                        sum[i] += row[i];
                    }
                }
            }
        }

        @Override
        public void beforeOutputProjection(int layer, LayerStates heads) {
            if (base != null) {
                base.beforeOutputProjection(layer, heads);
            }
        }
    }

    private static final class Bound implements EmbeddingStrategy {
        private final LayerMeanStrategy unbound;
        private final EmbeddingStrategy base;
        private final int from;
        private final int to;
        private final boolean last; // the range ends at the final norm's output, which the pass returns
        private final PassOptions pass;

        Bound(LayerMeanStrategy unbound, EmbeddingStrategy base, int from, int to, int depth) {
            this.unbound = unbound;
            this.base = base;
            this.from = from;
            this.to = to;
            this.last = to == depth;
            PassOptions own = base.pass();
            // the hook sees hidden_states[0 .. depth-1] unnormed; hidden_states[depth] is the pass's own output
            this.pass = new PassOptions(last ? PassOptions.FINAL_LAYER : to, new Accumulate(own.hook(), from, Math.min(to, depth - 1)),
                    own.addedTokens());
        }

        @Override
        public String prompt(String sentence) {
            return base.prompt(sentence);
        }

        @Override
        public int[] tokens(String prompt, Tokenizer tokenizer) {
            return base.tokens(prompt, tokenizer);
        }

        @Override
        public List<int[]> prefixCandidates(Tokenizer tokenizer) {
            return base.prefixCandidates(tokenizer);
        }

        @Override
        public PassOptions pass() {
            return pass;
        }

        @Override
        public float[] pool(PromptStates states) {
            float[] sum = states.side() == null ? new float[states.dim()] : states.side().clone();
            if (last) {
                float[] fin = states.last();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += fin[i];
                }
            }
            float n = to - from + 1;
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= n;
            }
            return sum;
        }

        @Override
        public EmbeddingStrategy bind(Tokenizer tokenizer, ModelConfig config) {
            return unbound.bind(tokenizer, config);
        }

        @Override
        public String boundSettings() {
            return base.boundSettings() + "mean" + from + ".." + to;
        }

        @Override
        public String describe() {
            return base.describe() + ", mean over hidden_states[" + from + ".." + to + "]";
        }
    }
}
