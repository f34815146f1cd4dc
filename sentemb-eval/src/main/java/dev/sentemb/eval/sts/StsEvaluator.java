package dev.sentemb.eval.sts;

import dev.sentemb.embed.Similarity;
import dev.sentemb.eval.Correlation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Scores STS pairs as SentEval does: cosine of the two embeddings against the gold score, Spearman and
 * Pearson ×100. The one STS scorer: {@code eval} scores whole tasks with it ("all": one correlation over
 * the concatenated sub-sets), the demonstration search scores STS-B dev pairs with it.
 */
public final class StsEvaluator {
    private StsEvaluator() {}

    /** The distinct sentences of the tasks, in first-seen order. */
    public static List<String> sentences(List<StsTask> tasks) {
        LinkedHashSet<String> s = new LinkedHashSet<>();
        for (StsTask t : tasks) {
            for (StsTask.Subset sub : t.subsets()) {
                for (StsPair p : sub.pairs()) {
                    s.add(p.a());
                    s.add(p.b());
                }
            }
        }
        return new ArrayList<>(s);
    }

    public static StsResult score(StsTask t, Map<String, float[]> vectors) {
        Map<String, StsResult.Scores> subs = new LinkedHashMap<>();
        int n = t.pairCount();
        double[] allSys = new double[n];
        double[] allGold = new double[n];
        int at = 0;
        for (StsTask.Subset sub : t.subsets()) {
            int m = sub.pairs().size();
            double[] sys = cosines(sub.pairs(), vectors);
            double[] gold = gold(sub.pairs());
            subs.put(sub.name(), new StsResult.Scores(100 * Correlation.spearman(sys, gold), 100 * Correlation.pearson(sys, gold), m));
            System.arraycopy(sys, 0, allSys, at, m);
            System.arraycopy(gold, 0, allGold, at, m);
            at += m;
        }
        return new StsResult(t.name(), 100 * Correlation.spearman(allSys, allGold), 100 * Correlation.pearson(allSys, allGold), n, subs);
    }

    /** Spearman ×100 of cosine against gold over {@code pairs}. */
    public static double spearman(List<StsPair> pairs, Map<String, float[]> vectors) {
        return 100 * Correlation.spearman(cosines(pairs, vectors), gold(pairs));
    }

    private static double[] cosines(List<StsPair> pairs, Map<String, float[]> vectors) {
        double[] sys = new double[pairs.size()];
        for (int i = 0; i < sys.length; i++) {
            StsPair p = pairs.get(i);
            sys[i] = Similarity.cosine(vector(vectors, p.a()), vector(vectors, p.b()));
        }
        return sys;
    }

    private static double[] gold(List<StsPair> pairs) {
        double[] gold = new double[pairs.size()];
        for (int i = 0; i < gold.length; i++) {
            gold[i] = pairs.get(i).gold();
        }
        return gold;
    }

    private static float[] vector(Map<String, float[]> vectors, String s) {
        float[] v = vectors.get(s);
        if (v == null) {
            throw new IllegalStateException("no embedding for sentence: " + s);
        }
        return v;
    }
}
