package dev.sentemb.eval.sts;

import java.util.List;

/**
 * One STS task as SentEval scores it: STS12–16 have several sub-sets whose pairs are concatenated
 * for the reported "all" Spearman; STS-B and SICK-R have one split.
 *
 * @param name    the SentEval name ({@code STS12}, {@code STSBenchmark}, {@code STSBenchmark-dev}, …)
 * @param subsets the sub-sets, in SentEval's order
 */
public record StsTask(String name, List<Subset> subsets) {
    /** A named sub-set of pairs (for STS-B and SICK-R the single split). */
    public record Subset(String name, List<StsPair> pairs) {}

    public int pairCount() {
        return subsets.stream().mapToInt(s -> s.pairs().size()).sum();
    }
}
