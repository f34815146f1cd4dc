package dev.sentemb.strategy;

import dev.sentemb.SentembException;
import dev.sentemb.model.LayerHook;
import dev.sentemb.model.LayerStates;
import dev.sentemb.model.ModelConfig;
import dev.sentemb.model.PassOptions;
import dev.sentemb.model.PromptStates;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.prompt.Templates;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.List;
import java.util.Objects;

/**
 * Contrastive Prompting (Cheng et al., ACL 2025, "Contrastive Prompting Enhances Sentence Embeddings in LLMs through
 * Inference-Time Steering"): besides the sentence's prompt, an auxiliary prompt asks for what is irrelevant in it
 * ({@code The irrelevant information of this sentence : "x" means in one word:"}); in block {@code layer} the
 * attention heads' output of the prompt's last token (the input of {@code o_proj}, the weighted sum of the value
 * vectors) becomes {@code coefficient × (A − B)} (the paper's CP-NS, the code's "scaled" plan, coefficient = 1/α) or
 * {@code (A − B) × ‖A‖ / ‖A − B‖} (CP-NR, the code's "norm" plan), A its own and B the auxiliary prompt's last
 * token's, and the embedding is the last token's {@code hidden_states[output]}.
 *
 * <p>Two passes a sentence: the auxiliary prompt through block {@code layer} (its heads' output kept as the
 * sentence's side vector), then the prompt, steered. Each prompt's head is a shared prefix; the steering touches only
 * the last token, so the prefixes stay exact. An encoder runs the two stages through views that share its engine.
 *
 * @param settings null: the authors' Llama-2-7B settings, the block scaled to the model's depth when bound: PromptEOL's
 *                 template (and any other) block 4 of 32, coefficient 1/2, hidden_states[27] (their run script; the
 *                 paper's "layer 5, α = 2" counted from 1); PretCoT block 6, coefficient 1/3 (the paper's layer 7,
 *                 α = 3), hidden_states[27]; KE the same at hidden_states[-2]; layer 27 on 32-block models only, the
 *                 final layer on others ({@link Settings#scaled})
 */
public record ContrastivePromptingStrategy(PromptTemplate template, PromptTemplate auxiliary, Settings settings) implements ModelBound {
    /** The authors' auxiliary prompt, in the reference's underscore form. */
    public static final String IRRELEVANT = "The_irrelevant_information_of_this_sentence_:_\"*sent_0*\"_means_in_one_word:\"";

    /**
     * @param layer       the block (0-based) whose heads' output is steered
     * @param coefficient the scale of the difference (CP-NS); NaN: keep A's norm instead (CP-NR)
     * @param output      the {@code hidden_states} index read (negative: from the end)
     */
    public record Settings(int layer, float coefficient, int output) {
        public Settings {
            if (layer < 0) {
                throw new SentembException("contrastive prompting's layer must be a block index >= 0, got " + layer);
            }
            if (Float.isInfinite(coefficient)) {
                throw new SentembException("contrastive prompting's coefficient must be finite, got " + coefficient);
            }
            PassOptions.checkLayer(output);
        }

        /** Whether the difference keeps A's norm (CP-NR) rather than being scaled by the coefficient (CP-NS). */
        public boolean keepsNorm() {
            return Float.isNaN(coefficient);
        }

        /**
         * The authors' Llama-2-7B settings for {@code template} on a model of {@code depth} blocks: the steered block
         * scaled, their coefficient, and the output their KE one (-2) or, for the others, their early exit
         * (hidden_states[27]) on a 32-block model only: they chose it on STS-B dev for that model, and a scaled one
         * reads badly elsewhere (qwen2.5-coder-0.5b at 20 of 24: STS-B 36.1 against 66.1 at the final layer).
         */
        public static Settings scaled(int depth, PromptTemplate template) {
            String t = template.source();
            boolean pretcot = t.equals(Templates.PRETCOT);
            boolean ke = t.equals(Templates.KE);
            int block = Math.round((pretcot || ke ? 6f : 4f) * depth / 32);
            return new Settings(block, pretcot || ke ? 1f / 3 : 0.5f, ke ? -2 : depth == 32 ? 27 : PassOptions.FINAL_LAYER);
        }

        /** "4x0.5@27" (CP-NS) or "4xnorm@27" (CP-NR) as the CLI writes it: layer, coefficient, output. */
        public static Settings parse(String s) {
            try {
                String[] at = s.split("@", -1);
                String[] lc = at[0].split("x", -1);
                if (at.length != 2 || lc.length != 2) {
                    throw new NumberFormatException();
                }
                float c = lc[1].trim().equals("norm") ? Float.NaN : Float.parseFloat(lc[1].trim());
                if (Float.isNaN(c) && !lc[1].trim().equals("norm")) {
                    throw new NumberFormatException();
                }
                return new Settings(Integer.parseInt(lc[0].trim()), c, Integer.parseInt(at[1].trim()));
            } catch (NumberFormatException e) {
                throw new SentembException("contrastive prompting settings '" + s + "': expected LAYERxCOEFFICIENT@OUTPUT or LAYERxnorm@OUTPUT, e.g. 4x0.5@27");
            }
        }

        @Override
        public String toString() {
            return layer + "x" + (keepsNorm() ? "norm" : coefficient) + "@" + output;
        }
    }

    public ContrastivePromptingStrategy {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(auxiliary, "auxiliary");
    }

    /** The authors' setting over {@code template}, scaled to the model's depth when bound. */
    public static ContrastivePromptingStrategy of(PromptTemplate template) {
        return new ContrastivePromptingStrategy(template, PromptTemplate.of(IRRELEVANT), null);
    }

    @Override
    public String prompt(String sentence) {
        return template.render(sentence);
    }

    @Override
    public EmbeddingStrategy bind(Tokenizer tokenizer, ModelConfig config) {
        Settings s = settings != null ? settings : Settings.scaled(config.layers(), template);
        if (s.layer() >= config.layers()) {
            throw new SentembException("contrastive prompting steers block " + s.layer() + "; the model has blocks 0.." + (config.layers() - 1));
        }
        new PassOptions(s.output(), null).resolve(config.layers());
        return new Stages(this, s, Stage.auxiliary(auxiliary, s.layer()), Stage.steered(template, s));
    }

    @Override
    public String describe() {
        return "Contrastive Prompting (Cheng et al. 2025) over " + template.source() + (settings == null ? ", settings scaled from the model's depth"
                : ", settings " + settings);
    }


    /**
     * The strategy on one model: two one-pass strategies, the auxiliary prompt's (whose vector is its heads' output
     * at the steered block) and the steered prompt's (whose input side vector is that). Its own prompt and tokens are
     * the steered prompt's; an encoder runs the stages.
     */
    public record Stages(ContrastivePromptingStrategy unbound, Settings settings, EmbeddingStrategy auxiliary, EmbeddingStrategy steered)
            implements EmbeddingStrategy {
        @Override
        public String prompt(String sentence) {
            return steered.prompt(sentence);
        }

        @Override
        public int[] tokens(String prompt, Tokenizer tokenizer) {
            return steered.tokens(prompt, tokenizer);
        }

        @Override
        public List<int[]> prefixCandidates(Tokenizer tokenizer) {
            return steered.prefixCandidates(tokenizer);
        }

        @Override
        public PassOptions pass() {
            return steered.pass();
        }

        @Override
        public float[] pool(PromptStates states) {
            return steered.pool(states);
        }

        @Override
        public EmbeddingStrategy bind(Tokenizer tokenizer, ModelConfig config) {
            return unbound.bind(tokenizer, config);
        }

        @Override
        public String boundSettings() {
            return "cp" + settings;
        }

        @Override
        public String describe() {
            return "Contrastive Prompting (Cheng et al. 2025) over " + unbound.template().source() + ", settings " + settings;
        }
    }

    /**
     * One stage: a prompt in PromptEOL's shape (its head the shared prefix) with a hooked pass. The auxiliary stage's
     * vector is the side vector its hook kept (the last token's heads' output at the steered block); the steered
     * stage's is the last token's state, its side vector being the auxiliary's, which its hook used.
     */
    record Stage(PromptTemplate template, PassOptions pass, boolean auxiliary) implements EmbeddingStrategy {
        static Stage auxiliary(PromptTemplate template, int layer) {
            return new Stage(template, new PassOptions(layer + 1, new Capture(layer)), true);
        }

        static Stage steered(PromptTemplate template, Settings settings) {
            return new Stage(template, new PassOptions(settings.output(), new Steer(settings.layer(), settings.coefficient())), false);
        }

        @Override
        public String prompt(String sentence) {
            return template.render(sentence);
        }

        @Override
        public List<int[]> prefixCandidates(Tokenizer tokenizer) {
            return PromptEolStrategy.of(template).prefixCandidates(tokenizer);
        }

        @Override
        public float[] pool(PromptStates states) {
            float[] side = states.side();
            if (side == null) {
                throw new IllegalStateException(auxiliary ? "the auxiliary pass kept no heads' output"
                        : "the steered pass had no auxiliary heads' output for this prompt");
            }
            return auxiliary ? side.clone() : states.last();
        }

        @Override
        public String describe() {
            return (auxiliary ? "the auxiliary prompt " : "the steered prompt ") + template.source() + ", " + pass;
        }
    }

    /** Keeps each sequence's last token's heads' output at one block as its side vector. */
    record Capture(int layer) implements LayerHook {
        @Override
        public void afterLayer(int l, LayerStates states) {}

        @Override
        public void beforeOutputProjection(int l, LayerStates heads) {
            if (l != layer) {
                return;
            }
            for (int s = 0; s < heads.sequenceCount(); s++) {
                heads.setSide(s, heads.row(s, heads.length(s) - 1));
            }
        }
    }

    /**
     * The steering itself; a sequence without a side vector (a shared prefix being cached) is left alone. A NaN
     * coefficient keeps A's norm (norms in float, as torch takes them, with its 1e-7 guard).
     */
    record Steer(int layer, float coefficient) implements LayerHook {
        @Override
        public void afterLayer(int l, LayerStates states) {}

        @Override
        public void beforeOutputProjection(int l, LayerStates heads) {
            if (l != layer) {
                return;
            }
            for (int s = 0; s < heads.sequenceCount(); s++) {
                float[] b = heads.side(s);
                if (b == null) {
                    continue;
                }
                int last = heads.length(s) - 1;
                float[] a = heads.row(s, last);
                if (b.length != a.length) {
                    throw new IllegalStateException("an auxiliary heads' output of " + b.length + " values for heads of " + a.length);
                }
                float scale = coefficient;
                if (Float.isNaN(coefficient)) {
                    double own = 0;
                    double diff = 0;
                    for (int i = 0; i < a.length; i++) {
                        own += (double) a[i] * a[i];
                        diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
                    }
                    scale = (float) Math.sqrt(own) / ((float) Math.sqrt(diff) + 1e-7f);
                }
                for (int i = 0; i < a.length; i++) {
                    a[i] = (a[i] - b[i]) * scale;
                }
                heads.setRow(s, last, a);
            }
        }
    }
}
