package dev.sentemb.eval;

import dev.sentemb.eval.sts.StsData;
import dev.sentemb.eval.transfer.TransferData;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Expands {@code --tasks}: groups ({@code sts}, {@code transfer}, {@code full}, {@code stsb-dev}) and SentEval task names. */
public final class TaskNames {
    private TaskNames() {}

    public static List<String> expand(String spec) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String raw : spec.split(",")) {
            String t = raw.strip();
            switch (t) {
                case "sts" -> out.addAll(StsData.STS_TASKS);
                case "transfer" -> out.addAll(TransferData.TASKS);
                case "full" -> {
                    out.addAll(StsData.STS_TASKS);
                    out.addAll(TransferData.TASKS);
                }
                case "stsb-dev" -> out.add("STSBenchmark-dev");
                default -> {
                    if (!StsData.isStsTask(t) && !TransferData.isTransferTask(t)) {
                        throw new IllegalArgumentException("unknown task '" + t + "'; use sts, transfer, full, stsb-dev, or SentEval names: "
                                + String.join(", ", StsData.STS_TASKS) + ", STSBenchmark-dev, " + String.join(", ", TransferData.TASKS));
                    }
                    out.add(t);
                }
            }
        }
        return new ArrayList<>(out);
    }
}
