package dev.sentemb.strategy;

import dev.sentemb.SentembException;
import dev.sentemb.model.PassOptions;
import dev.sentemb.prompt.Templates;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The named embedding strategies a user can pick ({@code --strategy}), each set as its authors' code sets it,
 * with what it costs beside PromptEOL. All of them are one prompt per sentence, one forward pass, the last
 * token's state: they differ in the template and the layer read, so the engine's shared-prefix cache
 * computes each template's head once and the cost per sentence is its own tokens plus the template's tail.
 */
public final class Strategies {
    /**
     * @param template a {@link Templates} name
     * @param layer    the hidden-states index read ({@link PassOptions#FINAL_LAYER}, or -2: before the last block)
     * @param cost     what it costs beside PromptEOL
     */
    public record Named(String name, String title, String template, Pooling pooling, int layer, String cost) {
        public PromptEolStrategy strategy() {
            return new PromptEolStrategy(Templates.resolve(template), pooling, layer);
        }
    }

    private static final Map<String, Named> ALL = new LinkedHashMap<>();

    static {
        add(new Named("prompteol", "PromptEOL (Jiang et al. 2023)", "eol", Pooling.LAST, PassOptions.FINAL_LAYER,
                "one pass; the template's head is computed once"));
        add(new Named("pretcot", "Pretended Chain of Thought (Zhang et al. 2024)", "pretcot", Pooling.LAST, -2,
                "as PromptEOL: a longer head (computed once), the same tokens per sentence, the last block skipped"));
        add(new Named("ke", "Knowledge Enhancement (Zhang et al. 2024)", "ke", Pooling.LAST, -2,
                "as PromptEOL: a 36-word head (computed once; attention over it costs a little more per token), the last block skipped"));
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
