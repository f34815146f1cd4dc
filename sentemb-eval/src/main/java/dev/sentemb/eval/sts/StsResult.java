package dev.sentemb.eval.sts;

import java.util.Map;

/**
 * Scores of one STS task, ×100. For STS12–16 {@code spearman}/{@code pearson} are SentEval's "all"
 * (one correlation over the concatenated sub-sets); {@code subsets} holds each sub-set's own.
 */
public record StsResult(String task, double spearman, double pearson, int pairs, Map<String, Scores> subsets) {
    /** Correlations ×100 of one sub-set. */
    public record Scores(double spearman, double pearson, int pairs) {}
}
