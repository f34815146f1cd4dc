package dev.sentemb.eval.sts;

import java.util.List;
import java.util.Locale;

/** The paper's STS table: Spearman ×100 with two decimals per task, and the average of the seven. */
public final class StsTable {
    private StsTable() {}

    public static String markdown(String label, List<StsResult> results) {
        StringBuilder h = new StringBuilder("| model |");
        StringBuilder sep = new StringBuilder("|---|");
        StringBuilder row = new StringBuilder("| ").append(label).append(" |");
        for (StsResult r : results) {
            h.append(' ').append(r.task()).append(" |");
            sep.append("---:|");
            row.append(String.format(Locale.ROOT, " %.2f |", r.spearman()));
        }
        average(results).ifPresent(avg -> {
            h.append(" Avg. |");
            sep.append("---:|");
            row.append(String.format(Locale.ROOT, " %.2f |", avg));
        });
        return h + "\n" + sep + "\n" + row + "\n";
    }

    /** The average over the paper's seven tasks, present only when all seven were run. */
    public static java.util.OptionalDouble average(List<StsResult> results) {
        List<StsResult> seven = results.stream().filter(r -> StsData.STS_TASKS.contains(r.task())).toList();
        if (seven.size() != StsData.STS_TASKS.size()) {
            return java.util.OptionalDouble.empty();
        }
        return seven.stream().mapToDouble(StsResult::spearman).average();
    }
}
