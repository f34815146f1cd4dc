package dev.sentemb.eval.search;

import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.eval.sts.StsEvaluator;
import dev.sentemb.eval.sts.StsPair;
import dev.sentemb.prompt.Templates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Scores demonstrations for {@link DemoSearch}: each candidate template is a view of one loaded model
 * (no reload), a survivor's embeddings from earlier rounds are kept, and the score is the STS scorer's
 * Spearman ×100 on the given STS-B dev pairs. Not thread-safe: a search scores one candidate at a time.
 */
public final class DemoScorer implements DemoSearch.Scorer {
    private final Encoder base;
    private final Map<String, Map<String, float[]>> embedded = new HashMap<>();

    /** @param base the loaded model (its pooling and layer apply to every candidate); the caller closes it */
    public DemoScorer(Encoder base) {
        this.base = base;
    }

    @Override
    public double score(String template, List<StsPair> pairs) {
        Map<String, float[]> have = embedded.computeIfAbsent(template, k -> new HashMap<>());
        LinkedHashSet<String> need = new LinkedHashSet<>();
        for (StsPair p : pairs) {
            for (String s : List.of(p.a(), p.b())) {
                if (!have.containsKey(s)) {
                    need.add(s);
                }
            }
        }
        if (!need.isEmpty()) {
            try (Encoder enc = base.withTemplate(Templates.resolve(template))) {
                List<String> todo = new ArrayList<>(need);
                List<EmbedResult> rs = enc.embedEach(todo, null);
                for (int i = 0; i < todo.size(); i++) {
                    if (!rs.get(i).isOk()) {
                        throw new IllegalStateException("cannot embed '" + todo.get(i) + "' with " + template + ": " + rs.get(i).error());
                    }
                    have.put(todo.get(i), rs.get(i).vector());
                }
            }
        }
        return StsEvaluator.spearman(pairs, have);
    }
}
