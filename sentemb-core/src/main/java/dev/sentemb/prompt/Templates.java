package dev.sentemb.prompt;

import dev.sentemb.SentembException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Template names a user can type: {@code eol} (the plain PromptEOL template), {@code pretcot} and {@code ke}
 * (Zhang et al. 2024's Pretended Chain of Thought and Knowledge Enhancement, in their authors' words),
 * {@code icl:<name>} for the reference's best one-shot demonstrations, or a literal template in the
 * underscore form.
 */
public final class Templates {
    private Templates() {}

    /** The reference's best demonstrations for OPT sizes (the reference's run_icl.sh). */
    private static final Map<String, String[]> NAMED = new LinkedHashMap<>();

    static {
        NAMED.put("opt-125m", new String[] {"A man is smoking.", "Smoking"});
        NAMED.put("opt-350m", new String[] {"A man is playing on a guitar and singing.", "Music"});
        NAMED.put("opt-1.3b", new String[] {"relating to switzerland or its people.", "Swiss"});
        NAMED.put("opt-2.7b", new String[] {"A jockey riding a horse.", "Equestrian"});
        NAMED.put("opt-6.7b", new String[] {"The man is riding a horse.", "Horseback-riding"});
        NAMED.put("opt-13b", new String[] {"meat from a deer.", "Venison"});
        NAMED.put("opt-30b", new String[] {"The man is riding a motorcycle down the road.", "Motorcycling"});
        NAMED.put("opt-66b", new String[] {"of or relating to tutors or tutoring.", "Tutorial"});
        // Line 16 of icl_examples.txt: the demonstration the project's fixtures use.
        NAMED.put("smoking", NAMED.get("opt-125m"));
    }

    /** Pretended Chain of Thought: PromptEOL after a pretended reasoning step (read at hidden_states[-2]; see strategy.Strategies). */
    public static final String PRETCOT = "After_thinking_step_by_step_,_this_sentence_:_\"*sent_0*\"_means_in_one_word:\"";
    /** Knowledge Enhancement: PromptEOL after a sentence on what carries a sentence's meaning (read at hidden_states[-2]). */
    public static final String KE = "The_essence_of_a_sentence_is_often_captured_by_its_main_subjects_and_actions,_while_descriptive_terms"
            + "_provide_additional_but_less_central_details._With_this_in_mind_,_this_sentence_:_\"*sent_0*\"_means_in_one_word:\"";

    /** Resolves a user's {@code --template} value. */
    public static PromptTemplate resolve(String spec) {
        if (spec == null || spec.isBlank() || spec.equals("eol")) {
            return PromptTemplate.eol();
        }
        if (spec.equals("pretcot")) {
            return PromptTemplate.of(PRETCOT);
        }
        if (spec.equals("ke")) {
            return PromptTemplate.of(KE);
        }
        if (spec.startsWith("icl:")) {
            String[] demo = NAMED.get(spec.substring(4));
            if (demo == null) {
                throw new SentembException("unknown demonstration '" + spec + "'; known: icl:" + String.join(", icl:", NAMED.keySet())
                        + ", or give a template in the underscore form with *sent_0*");
            }
            return PromptTemplate.withDemonstration(demo[0], demo[1]);
        }
        if (!spec.contains("*sent_0*")) {
            throw new SentembException("template '" + spec + "' is neither 'eol', 'pretcot', 'ke', icl:<name>, nor a template containing *sent_0*");
        }
        return PromptTemplate.of(spec);
    }
}
