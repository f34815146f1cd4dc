package dev.sentemb.prompt;

import dev.sentemb.SentembException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Template names a user can type: {@code eol} (the plain PromptEOL template), {@code icl:<name>} for
 * the reference's best one-shot demonstrations, or a literal template in the underscore form.
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

    /** Resolves a user's {@code --template} value. */
    public static PromptTemplate resolve(String spec) {
        if (spec == null || spec.isBlank() || spec.equals("eol")) {
            return PromptTemplate.eol();
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
            throw new SentembException("template '" + spec + "' is neither 'eol', icl:<name>, nor a template containing *sent_0*");
        }
        return PromptTemplate.of(spec);
    }
}
