package dev.sentemb.eval;

import dev.sentemb.eval.sts.StsData;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Expands {@code --tasks}: groups ({@code sts}, {@code stsb-dev}) and SentEval task names. */
public final class TaskNames {
    private TaskNames() {}

    public static List<String> expand(String spec) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String raw : spec.split(",")) {
            String t = raw.strip();
            switch (t) {
                case "sts" -> out.addAll(StsData.STS_TASKS);
                case "stsb-dev" -> out.add("STSBenchmark-dev");
                case "transfer", "full", "MR", "CR", "SUBJ", "MPQA", "SST2", "TREC", "MRPC" ->
                        throw new IllegalArgumentException("task '" + t + "': transfer tasks are not implemented yet; STS tasks are: sts, stsb-dev, "
                                + String.join(", ", StsData.STS_TASKS) + ", STSBenchmark-dev");
                default -> {
                    if (!StsData.isStsTask(t)) {
                        throw new IllegalArgumentException("unknown task '" + t + "'; use sts, stsb-dev, or SentEval names: "
                                + String.join(", ", StsData.STS_TASKS) + ", STSBenchmark-dev");
                    }
                    out.add(t);
                }
            }
        }
        return new ArrayList<>(out);
    }
}
