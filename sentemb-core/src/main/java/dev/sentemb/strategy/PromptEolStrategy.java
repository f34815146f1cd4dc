package dev.sentemb.strategy;

import dev.sentemb.model.PassOptions;
import dev.sentemb.model.PromptStates;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * PromptEOL: the sentence, cleaned as the reference cleans it, in a one-word template (optionally after
 * a demonstration); the embedding is one layer's state of the prompt's last token (the paper: the final
 * layer) or, as the reference's {@code --avg} option, the mean over the prompt. The template's head —
 * the demonstration and the text before the sentence — is the shared prefix.
 *
 * @param layer {@link PassOptions#FINAL_LAYER} (the final norm's output, {@code hidden_states[-1]}) or a
 *              Hugging Face {@code hidden_states} index
 */
public record PromptEolStrategy(PromptTemplate template, Pooling pooling, int layer) implements EmbeddingStrategy {
    public PromptEolStrategy {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(pooling, "pooling");
        PassOptions.checkLayer(layer);
    }

    /** The paper's setting with this template: last token, final layer. */
    public static PromptEolStrategy of(PromptTemplate template) {
        return new PromptEolStrategy(template, Pooling.LAST, PassOptions.FINAL_LAYER);
    }

    public PromptEolStrategy withTemplate(PromptTemplate t) {
        return new PromptEolStrategy(t, pooling, layer);
    }

    @Override
    public String prompt(String sentence) {
        return template.render(sentence);
    }

    /**
     * The head's ids as the full prompt starts (render strips leading blanks), and the same without its
     * last token, which BPE may merge with the sentence's first characters.
     */
    @Override
    public List<int[]> prefixCandidates(Tokenizer tokenizer) {
        int[] head = tokenizer.encode(template.head().stripLeading());
        List<int[]> c = new ArrayList<>();
        c.add(head);
        if (head.length > 1) {
            c.add(Arrays.copyOf(head, head.length - 1));
        }
        return c;
    }

    @Override
    public PassOptions pass() {
        if (pooling == Pooling.LAST) {
            return PassOptions.lastToken(layer);
        }
        return layer == PassOptions.FINAL_LAYER ? PassOptions.FINAL : PassOptions.layer(layer);
    }

    @Override
    public float[] pool(PromptStates states) {
        return pooling == Pooling.LAST ? states.last() : states.mean();
    }

    @Override
    public String describe() {
        return "PromptEOL " + template.source() + ", " + pooling.name().toLowerCase(java.util.Locale.ROOT) + " pooling"
                + (layer == PassOptions.FINAL_LAYER ? "" : ", layer " + layer);
    }
}
