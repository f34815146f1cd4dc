package dev.sentemb.eval.search;

import dev.sentemb.eval.sts.StsPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Finds the demonstration whose template gives the best STS-B dev Spearman by successive halving: every
 * candidate is scored on a small random subset of the dev pairs, the best 1/eta go on to a subset eta
 * times larger, and so on until the finalists are scored on all of dev. The subsets are nested prefixes
 * of one fixed permutation, so a survivor's earlier embeddings are reused. With {@code firstPairs} equal
 * to the number of dev pairs it is the exhaustive search.
 */
public final class DemoSearch {
    /** Scores one template on some dev pairs: Spearman ×100 of cosine against gold. */
    public interface Scorer {
        double score(String template, List<StsPair> pairs);
    }

    /** Scores already known (from a resumed log): NaN when absent. */
    public interface Known {
        double get(int pairs, String template);
    }

    /** Told every new score and the seconds it took (for the resumable log). */
    public interface Log {
        void scored(Ranked score, double seconds);
    }

    /** A candidate's score on the largest subset it reached. */
    public record Ranked(String template, double spearman, int pairs) {}

    public record Round(int candidates, int pairs) {}

    private DemoSearch() {}

    /** The schedule: candidates and pairs per round; the last round uses every pair. */
    public static List<Round> schedule(int candidates, int devPairs, int firstPairs, int eta) {
        List<Round> out = new ArrayList<>();
        int n = candidates;
        long m = Math.min(firstPairs, devPairs);
        while (true) {
            if (m >= devPairs || n <= 1) {
                out.add(new Round(n, devPairs));
                return out;
            }
            out.add(new Round(n, (int) m));
            n = Math.max(1, (n + eta - 1) / eta);
            m = m * eta;
        }
    }

    /** The fixed random order of dev pairs the nested subsets are prefixes of. */
    public static List<StsPair> permuted(List<StsPair> dev, long seed) {
        List<StsPair> p = new ArrayList<>(dev);
        Collections.shuffle(p, new Random(seed));
        return p;
    }

    /**
     * Runs the search; {@code log} is told every new score and its time (for the resumable log) and {@code known}
     * supplies scores a previous run finished. Returns all candidates ranked: finalists first by their
     * full-dev score, then the others by the round they reached and their score there.
     */
    public static List<Ranked> run(List<String> candidates, List<StsPair> dev, int firstPairs, int eta, long seed, Scorer scorer, Known known,
                                   Log log) {
        List<StsPair> order = permuted(dev, seed);
        List<Round> rounds = schedule(candidates.size(), dev.size(), firstPairs, eta);
        List<String> alive = new ArrayList<>(candidates);
        List<Ranked> out = new ArrayList<>();
        for (Round r : rounds) {
            List<StsPair> subset = order.subList(0, r.pairs());
            List<Ranked> scored = new ArrayList<>();
            for (String t : alive) {
                double s = known.get(r.pairs(), t);
                if (Double.isNaN(s)) {
                    long t0 = System.nanoTime();
                    s = scorer.score(t, subset);
                    log.scored(new Ranked(t, s, r.pairs()), (System.nanoTime() - t0) / 1e9);
                }
                scored.add(new Ranked(t, s, r.pairs()));
            }
            scored.sort(Comparator.comparingDouble(Ranked::spearman).reversed());
            int keep = Math.max(1, (alive.size() + eta - 1) / eta);
            boolean last = r == rounds.get(rounds.size() - 1);
            List<Ranked> dropped = last ? scored : scored.subList(keep, scored.size());
            out.addAll(0, dropped); // later rounds rank above earlier ones
            alive = scored.subList(0, last ? 0 : keep).stream().map(Ranked::template).toList();
        }
        return out;
    }
}
