package dev.sentemb.strategy;

import dev.sentemb.SentembException;
import dev.sentemb.model.PassOptions;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.prompt.Templates;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The named embedding strategies a user can pick ({@code --strategy}), each set as its authors' code sets it,
 * with what it costs beside PromptEOL. The prompt families (PromptEOL, PretCoT, Knowledge Enhancement) are one
 * prompt per sentence, one forward pass, the last token's state: they differ in the template and the layer
 * read, so the engine's shared-prefix cache computes each template's head once and the cost per sentence is its
 * own tokens plus the template's tail. Echo reads the sentence twice and pools over the second copy. Token Prepending
 * and Contrastive Prompting change states inside the pass (a hook); their layers are scaled from the authors'
 * Llama-2-7B setting to the model's depth.
 */
public final class Strategies {
    /**
     * @param template a {@link Templates} name
     * @param layer    the hidden-states index read ({@link PassOptions#FINAL_LAYER}, or -2: before the last block)
     * @param cost     what it costs beside PromptEOL
     */
    public record Named(String name, String title, String template, Pooling pooling, int layer, String cost, EmbeddingStrategy own,
                        String ownReadout) {
        /** A prompt family: PromptEOL's prompt shape with this template, pooling and layer. */
        Named(String name, String title, String template, Pooling pooling, int layer, String cost) {
            this(name, title, template, pooling, layer, cost, null, null);
        }

        /** A strategy of its own, read out as its pooling and layer say. */
        Named(String name, String title, String template, Pooling pooling, int layer, String cost, EmbeddingStrategy own) {
            this(name, title, template, pooling, layer, cost, own, null);
        }

        public EmbeddingStrategy strategy() {
            return own != null ? own : new PromptEolStrategy(Templates.resolve(template), pooling, layer);
        }

        /** Whether this is PromptEOL's prompt shape with another template and layer (which --template and --layer may override). */
        public boolean promptFamily() {
            return own == null;
        }

        /** The read-out as eval's cache and reports name it: pooling, and the layer when not the final one. */
        public String readout() {
            if (ownReadout != null) {
                return ownReadout;
            }
            String p = pooling == Pooling.LAST ? "last" : "mean";
            return layer == PassOptions.FINAL_LAYER ? p : p + "@layer" + layer;
        }
    }

    /** The names, for help texts (an annotation needs a constant); {@code StrategiesTest} keeps it equal to the registry. */
    public static final String NAMES = "prompteol, pretcot, ke, echo, metaeol, tp, cp";

    private static final Map<String, Named> ALL = new LinkedHashMap<>();

    static {
        add(new Named("prompteol", "PromptEOL (Jiang et al. 2023)", "eol", Pooling.LAST, PassOptions.FINAL_LAYER,
                "one pass; the template's head is computed once"));
        add(new Named("pretcot", "Pretended Chain of Thought (Zhang et al. 2024)", "pretcot", Pooling.LAST, -2,
                "as PromptEOL: a longer head (computed once), the same tokens per sentence, the last block skipped"));
        add(new Named("ke", "Knowledge Enhancement (Zhang et al. 2024)", "ke", Pooling.LAST, -2,
                "as PromptEOL: a 36-word head (computed once; attention over it costs a little more per token), the last block skipped"));
        add(new Named("echo", "Echo embeddings (Springer et al. 2024)", "echo", Pooling.MEAN, PassOptions.FINAL_LAYER,
                "per sentence two copies of it, the middle and the EOS (PromptEOL: one copy and its tail); the head is computed once",
                EchoStrategy.ZERO_SHOT));
        add(new Named("metaeol", "MetaEOL (Lei et al. 2024)", "metaeol", Pooling.LAST, PassOptions.FINAL_LAYER,
                "eight PromptEOL-style prompts per sentence, averaged: eight heads (each computed once) and eight times the sentence's tokens",
                EnsembleStrategy.metaEol()));
        add(new Named("tp", "Token Prepending (Fu et al. 2025)", "eol", Pooling.LAST, PassOptions.FINAL_LAYER,
                "one pass of PromptEOL's prompt and one placeholder token; read at an earlier layer, so the blocks after it are skipped",
                TokenPrependingStrategy.of(PromptTemplate.eol()), "last@tp"));
        add(new Named("cp", "Contrastive Prompting (Cheng et al. 2025)", "eol", Pooling.LAST, PassOptions.FINAL_LAYER,
                "two passes a sentence: the auxiliary prompt (PromptEOL's length and three words more) through the steered block only "
                        + "(the first ~15% of the blocks), then the prompt, read at an earlier layer; both heads are computed once",
                ContrastivePromptingStrategy.of(PromptTemplate.eol()), "last@cp"));
    }

    private Strategies() {}

    private static void add(Named n) {
        ALL.put(n.name(), n);
    }

    public static Optional<Named> find(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    /** The named strategy, or an error listing the known names. */
    public static Named require(String name) {
        return find(name).orElseThrow(() -> new SentembException("unknown strategy '" + name + "'; known: "
                + String.join(", ", ALL.keySet())));
    }

    public static Collection<Named> all() {
        return ALL.values();
    }
}
