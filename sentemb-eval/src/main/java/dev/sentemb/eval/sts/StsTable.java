package dev.sentemb.eval.sts;

import java.util.List;

/** The paper's STS summary: the average Spearman ×100 over its seven tasks. */
public final class StsTable {
    private StsTable() {}

    /** The average over the paper's seven tasks, present only when all seven were run. */
    public static java.util.OptionalDouble average(List<StsResult> results) {
        List<StsResult> seven = results.stream().filter(r -> StsData.STS_TASKS.contains(r.task())).toList();
        if (seven.size() != StsData.STS_TASKS.size()) {
            return java.util.OptionalDouble.empty();
        }
        return seven.stream().mapToDouble(StsResult::spearman).average();
    }
}
