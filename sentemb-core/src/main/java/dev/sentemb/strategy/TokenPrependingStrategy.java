package dev.sentemb.strategy;

import dev.sentemb.SentembException;
import dev.sentemb.model.LayerHook;
import dev.sentemb.model.LayerStates;
import dev.sentemb.model.ModelConfig;
import dev.sentemb.model.PassOptions;
import dev.sentemb.model.PromptStates;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Token Prepending (Fu et al., ACL 2025, "Token Prepending: A Training-Free Approach for Eliciting Better Sentence
 * Embeddings from LLMs"): a placeholder token {@code <PST>} goes before the sentence's opening quote
 * ({@code This sentence : <PST> "x" means in one word:"}); before each block {@code start .. exit-1} its state is
 * replaced by the last token's state, the sentence's embedding so far, so the sentence's early tokens can attend
 * to the whole sentence; the embedding is the last token's state at an intermediate {@code outputLayer} (early exit).
 *
 * <p>As the authors' code does: the placeholder is a token added to the vocabulary (id = the embedding table's
 * rows, one past the model's vocabulary) whose embedding row is {@code torch.randn(d)} — here torch's CPU draw after
 * {@code torch.manual_seed(3407)}, the seed the authors set for CUDA, whose stream differs — scaled by the model's
 * embedding scale as any token is; the text is split at the placeholder and each side tokenized alone (how
 * Hugging Face tokenizes around an added token); the first placeholder of the prompt is the one replaced.
 *
 * <p>Layers: {@link Layers#scaled} picks them from the model's depth: the authors' Llama-2-7B PromptEOL range
 * (blocks 1..6 of 32) scaled, their early exit ({@code hidden_states[27]}) on 32-block models and the final layer on
 * others; with PretCoT/KE their {@code hidden_states[-2]}. The text before the placeholder is the same for every sentence and is the shared
 * prefix; what follows depends on the sentence through the replaced state.
 *
 * @param layers null: scaled from the model's depth when bound
 */
public record TokenPrependingStrategy(PromptTemplate template, Layers layers) implements ModelBound {
    /** The placeholder's text in a prompt, as the authors add it to the tokenizer. */
    public static final String PLACEHOLDER = "<PST>";
    /** The seed of the placeholder's embedding row. */
    public static final long SEED = 3407;

    /**
     * Which blocks see the replaced placeholder and which hidden state is read.
     *
     * @param start  the first block (0-based) whose input has the placeholder replaced
     * @param exit   one past the last such block
     * @param output the {@code hidden_states} index read (negative: from the end)
     */
    public record Layers(int start, int exit, int output) {
        public Layers {
            if (start < 0 || exit <= start) {
                throw new SentembException("token prepending needs 0 <= start < exit, got " + start + ".." + exit);
            }
            PassOptions.checkLayer(output);
        }

        /**
         * The authors' settings on a model of {@code depth} blocks: their Llama-2-7B range (blocks 1..6 of 32) scaled;
         * the output their PretCoT/KE one (-2, on every model of their config), and with PromptEOL's template their
         * early exit (hidden_states[27]) on a 32-block model only. They chose that layer on STS-B dev for that model,
         * and a scaled one reads badly elsewhere (qwen2.5-coder-0.5b at 20 of 24: STS-B 36.1 against 66.1 at the
         * final layer), so other depths read the final layer.
         */
        public static Layers scaled(int depth, boolean promptEol) {
            int exit = Math.max(2, Math.min(depth, Math.round(7f * depth / 32)));
            int output = promptEol ? (depth == 32 ? 27 : PassOptions.FINAL_LAYER) : -2;
            return new Layers(1, exit, output);
        }

        /** "1:7@27" as the CLI writes it. */
        public static Layers parse(String s) {
            try {
                String[] at = s.split("@", -1);
                String[] range = at[0].split(":", -1);
                if (at.length != 2 || range.length != 2) {
                    throw new NumberFormatException();
                }
                return new Layers(Integer.parseInt(range[0].trim()), Integer.parseInt(range[1].trim()), Integer.parseInt(at[1].trim()));
            } catch (NumberFormatException e) {
                throw new SentembException("token prepending layers '" + s + "': expected START:EXIT@OUTPUT, e.g. 1:7@27");
            }
        }

        @Override
        public String toString() {
            return start + ":" + exit + "@" + output;
        }
    }

    public TokenPrependingStrategy {
        Objects.requireNonNull(template, "template");
    }

    /** The authors' PromptEOL setting for this template, layers scaled from the model's depth. */
    public static TokenPrependingStrategy of(PromptTemplate template) {
        return new TokenPrependingStrategy(template, null);
    }

    /** Where the placeholder goes in the head: before the sentence's opening quote, else right before the sentence. */
    private int insertAt() {
        String head = template.head();
        int quote = head.lastIndexOf('"');
        return quote >= 0 ? quote : head.length();
    }

    @Override
    public String prompt(String sentence) {
        return withPlaceholder().render(sentence);
    }

    /** The template with the placeholder and a space before the sentence's opening quote (or before the sentence). */
    PromptTemplate withPlaceholder() {
        String head = template.head();
        int at = insertAt();
        return PromptTemplate.of((head.substring(0, at) + PLACEHOLDER + " " + head.substring(at) + "*sent 0*" + template.tail()).replace(' ', '_'));
    }

    @Override
    public int[] tokens(String prompt, Tokenizer tokenizer) {
        return tokens(prompt, tokenizer, tokenizer.vocabSize());
    }

    /** The prompt split at each placeholder, each piece tokenized alone, the placeholder's id between them. */
    static int[] tokens(String prompt, Tokenizer tokenizer, int placeholderId) {
        List<int[]> pieces = new ArrayList<>();
        if (Bound.addsBos(tokenizer)) {
            pieces.add(new int[] {tokenizer.bosId().getAsInt()});
        }
        int from = 0;
        while (true) {
            int at = prompt.indexOf(PLACEHOLDER, from);
            String piece = prompt.substring(from, at < 0 ? prompt.length() : at);
            if (!piece.isEmpty()) {
                pieces.add(tokenizer.encode(piece, false));
            }
            if (at < 0) {
                break;
            }
            pieces.add(new int[] {placeholderId});
            from = at + PLACEHOLDER.length();
        }
        return pieces.stream().flatMapToInt(IntStream::of).toArray();
    }

    @Override
    public EmbeddingStrategy bind(Tokenizer tokenizer, ModelConfig config) {
        Layers l = layers != null ? layers : Layers.scaled(config.layers(), template.source().equals(PromptTemplate.EOL)
                || template.source().endsWith(PromptTemplate.EOL));
        if (l.exit() > config.layers()) {
            throw new SentembException("token prepending over blocks " + l.start() + ".." + (l.exit() - 1) + " on a model of "
                    + config.layers() + " blocks");
        }
        return new Bound(this, l, tokenizer, config);
    }

    @Override
    public String describe() {
        return "Token Prepending (Fu et al. 2025) over " + template.source() + (layers == null ? ", layers scaled from the model's depth" : ", layers " + layers);
    }


    /** The strategy on one model: the placeholder's id, row and position, and the layers, fixed once. */
    private static final class Bound implements EmbeddingStrategy {
        private final TokenPrependingStrategy tp;
        private final Layers layers;
        private final Tokenizer tokenizer;
        private final int placeholderId;
        private final int[] prefix; // BOS (when the tokenizer adds one) + the text before the placeholder
        private final PassOptions pass;
        private final PromptTemplate template;

        Bound(TokenPrependingStrategy tp, Layers layers, Tokenizer tokenizer, ModelConfig config) {
            this.tp = tp;
            this.layers = layers;
            this.tokenizer = tokenizer;
            this.placeholderId = config.vocabSize();
            this.template = tp.withPlaceholder();
            String before = template.render("x");
            before = before.substring(0, before.indexOf(PLACEHOLDER));
            this.prefix = TokenPrependingStrategy.tokens(before, tokenizer, placeholderId);
            int position = prefix.length;
            Layers l = layers;
            LayerHook hook = new LayerHook() {
                @Override
                public void afterLayer(int layer, LayerStates states) {
                    if (layer < l.start() || layer >= l.exit()) {
                        return;
                    }
                    for (int s = 0; s < states.sequenceCount(); s++) {
                        int at = position - states.position(s, 0); // the placeholder's row in this pass
                        int last = states.length(s) - 1;
                        if (at >= 0 && at < last) {
                            states.setRow(s, at, states.row(s, last));
                        }
                    }
                }
            };
            this.pass = new PassOptions(layers.output(), hook, new float[][] {TorchRandn.randn(SEED, config.dim())});
        }

        static boolean addsBos(Tokenizer t) {
            if (t.bosId().isEmpty()) {
                return false;
            }
            int[] ids = t.encode("x", true);
            return ids.length > 0 && ids[0] == t.bosId().getAsInt();
        }

        @Override
        public String prompt(String sentence) {
            return template.render(sentence);
        }

        @Override
        public int[] tokens(String prompt, Tokenizer t) {
            return TokenPrependingStrategy.tokens(prompt, t, placeholderId);
        }

        @Override
        public List<int[]> prefixCandidates(Tokenizer t) {
            return prefix.length == 0 ? List.of() : List.of(prefix.clone());
        }

        @Override
        public PassOptions pass() {
            return pass;
        }

        @Override
        public float[] pool(PromptStates states) {
            return states.last();
        }

        @Override
        public EmbeddingStrategy bind(Tokenizer t, ModelConfig config) {
            return t == tokenizer && config.vocabSize() == placeholderId ? this : tp.bind(t, config);
        }

        @Override
        public String boundSettings() {
            return "tp" + layers;
        }

        @Override
        public String describe() {
            return "Token Prepending (Fu et al. 2025) over " + tp.template().source() + ", layers " + layers;
        }

        @Override
        public String toString() {
            return describe() + " " + Arrays.toString(prefix);
        }
    }
}
