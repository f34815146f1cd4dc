package dev.sentemb.prompt;

import dev.sentemb.SentembException;

/**
 * A PromptEOL template in the reference's underscore form, e.g.
 * {@code This_sentence_:_"*sent_0*"_means_in_one_word:"}: '_' stands for a space and
 * {@code *sent_0*} for the sentence. Rendering follows the reference exactly: spaces for
 * underscores in the template only, markers {@code *sep+*} and {@code *cls*} dropped, the cleaned
 * sentence substituted, the result stripped.
 */
public final class PromptTemplate {
    /** The paper's plain PromptEOL template. */
    public static final String EOL = "This_sentence_:_\"*sent_0*\"_means_in_one_word:\"";

    private static final String SLOT = "*sent 0*";

    private final String source;
    private final String head;
    private final String tail;

    private PromptTemplate(String source) {
        this.source = source;
        String t = source.replace('_', ' ').replace("*sep+*", "").replace("*cls*", "");
        int at = t.indexOf(SLOT);
        if (at < 0) {
            throw new SentembException("template has no sentence slot *sent_0*: " + source);
        }
        if (t.indexOf(SLOT, at + SLOT.length()) >= 0) {
            throw new SentembException("template has more than one *sent_0* slot: " + source);
        }
        this.head = t.substring(0, at);
        this.tail = t.substring(at + SLOT.length());
    }

    /** Parses a template in the underscore form. */
    public static PromptTemplate of(String underscoreForm) {
        if (underscoreForm == null || underscoreForm.isBlank()) {
            throw new SentembException("empty template");
        }
        return new PromptTemplate(underscoreForm);
    }

    public static PromptTemplate eol() {
        return new PromptTemplate(EOL);
    }

    /**
     * A one-shot demonstration in front of the plain template, as the reference writes it:
     * {@code This_sentence_:_"<demo>"_means_in_one_word:"<word>".This_sentence_:_"*sent_0*"...}.
     */
    public static PromptTemplate withDemonstration(String demoSentence, String word) {
        String demo = demoSentence.replace(' ', '_');
        return new PromptTemplate("This_sentence_:_\"" + demo + "\"_means_in_one_word:\"" + word + "\"." + EOL);
    }

    /** The full prompt for one sentence (clean-up applied). */
    public String render(String sentence) {
        if (sentence == null) {
            throw new SentembException("sentence is null");
        }
        return (head + SentenceCleaner.clean(sentence) + tail).strip();
    }

    /**
     * The full prompt with the sentence as it is, no clean-up: how the reference's training puts its
     * (truncated) sentences into the template.
     */
    public String renderRaw(String sentence) {
        if (sentence == null) {
            throw new SentembException("sentence is null");
        }
        return (head + sentence + tail).strip();
    }

    /** The underscore form this template was parsed from. */
    public String source() {
        return source;
    }

    /** Text before the sentence (after the spaces are restored): the part a prefix cache can share. */
    public String head() {
        return head;
    }

    /** Text after the sentence. */
    public String tail() {
        return tail;
    }

    @Override
    public String toString() {
        return source;
    }
}
