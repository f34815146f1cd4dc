package dev.sentemb.eval.sts;

import dev.sentemb.embed.Similarity;
import dev.sentemb.eval.Correlation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Scores STS tasks as SentEval does: cosine of the two embeddings against the gold score. Every
 * distinct sentence across all tasks is embedded once.
 */
public final class StsEvaluator {
    private final Function<List<String>, Map<String, float[]>> embedder;

    /** @param embedder embeds distinct sentences (SentEval-joined), returning a vector per sentence */
    public StsEvaluator(Function<List<String>, Map<String, float[]>> embedder) {
        this.embedder = embedder;
    }

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

    public List<StsResult> evaluate(List<StsTask> tasks) {
        Map<String, float[]> vectors = embedder.apply(sentences(tasks));
        List<StsResult> out = new ArrayList<>();
        for (StsTask t : tasks) {
            out.add(score(t, vectors));
        }
        return out;
    }

    public static StsResult score(StsTask t, Map<String, float[]> vectors) {
        Map<String, StsResult.Scores> subs = new LinkedHashMap<>();
        int n = t.pairCount();
        double[] allSys = new double[n];
        double[] allGold = new double[n];
        int at = 0;
        for (StsTask.Subset sub : t.subsets()) {
            int m = sub.pairs().size();
            double[] sys = new double[m];
            double[] gold = new double[m];
            for (int i = 0; i < m; i++) {
                StsPair p = sub.pairs().get(i);
                sys[i] = Similarity.cosine(vector(vectors, p.a()), vector(vectors, p.b()));
                gold[i] = p.gold();
            }
            subs.put(sub.name(), new StsResult.Scores(100 * Correlation.spearman(sys, gold), 100 * Correlation.pearson(sys, gold), m));
            System.arraycopy(sys, 0, allSys, at, m);
            System.arraycopy(gold, 0, allGold, at, m);
            at += m;
        }
        return new StsResult(t.name(), 100 * Correlation.spearman(allSys, allGold), 100 * Correlation.pearson(allSys, allGold), n, subs);
    }

    private static float[] vector(Map<String, float[]> vectors, String s) {
        float[] v = vectors.get(s);
        if (v == null) {
            throw new IllegalStateException("no embedding for sentence: " + s);
        }
        return v;
    }
}
