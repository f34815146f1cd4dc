package dev.sentemb.eval.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sentemb.eval.DataFormatException;
import dev.sentemb.eval.run.EvalRun;
import dev.sentemb.eval.run.ResumedWork;
import dev.sentemb.eval.sts.StsResult;
import dev.sentemb.eval.transfer.TransferResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The results file of one evaluation ({@code --output results.json}): scores, what produced them
 * (model file and its SHA-256, template, pooling, versions) and the wall time. {@code wallSeconds} is this
 * run's; {@code resumed} (null when nothing was) says what it took from the embedding cache of earlier,
 * interrupted runs and what that cost them. {@code stsAvg} is the 7-task STS average, {@code transferAvg}
 * the 7-task transfer average (null when a task is missing).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EvalReport(String model, String modelFile, String modelSha256, Long modelBytes, String template, String pooling,
                         Map<String, String> versions, String date, String data, double wallSeconds, ResumedWork resumed, int sentences,
                         List<StsResult> sts, Double stsAvg, List<TransferResult> transfer, Double transferAvg,
                         List<EvalRun.Point> stsbScatter) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** A results file is a few hundred kilobytes (a compare grid of 28 cells a few megabytes). */
    static final long MAX_BYTES = 256L << 20;

    /** Plain PromptEOL, or a template with a demonstration (for the scaling chart's two lines). */
    public boolean withDemonstration() {
        if (template == null || template.equals("eol")) {
            return false;
        }
        int slot = template.indexOf("*sent_0*");
        // A demonstration is a whole template before the slot: more than the one opening quote precedes it.
        return template.startsWith("icl:") || (slot > 0 && template.substring(0, slot).chars().filter(c -> c == '"').count() > 1);
    }

    /** This run's wall time plus the embedding time earlier runs recorded for what it resumed. */
    public double totalSeconds() {
        return wallSeconds + (resumed == null ? 0 : resumed.seconds());
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The report of an {@code eval --output} file (read as {@link #readAll} reads it). */
    public static EvalReport read(Path file) {
        List<EvalReport> all = readAll(file);
        if (all.size() != 1) {
            throw new DataFormatException(file, 0, "a compare output of " + all.size() + " cells, not one eval report");
        }
        return all.get(0);
    }

    /**
     * Every report in {@code file}: the one of an {@code eval --output}, or each cell's of a {@code compare --output}
     * (a JSON array of {@code {"strategy", "report", "paper"}}), in file order, so a grid run in pieces is read
     * back as one.
     */
    public static List<EvalReport> readAll(Path file) {
        JsonNode root;
        try {
            long size = java.nio.file.Files.size(file);
            if (size > MAX_BYTES) { // a wrong path to a big file is refused before it is read
                throw new DataFormatException(file, 0, size + " bytes, more than a results file's limit of " + MAX_BYTES + " bytes");
            }
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException(file, 0, "not a sentemb results file: " + e.getMessage());
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            throw new DataFormatException(file, 0, "not a sentemb results file: expected the JSON object of eval --output or the array of compare --output");
        }
        List<JsonNode> cells = new ArrayList<>();
        if (root.isObject()) {
            cells.add(root);
        } else {
            root.elements().forEachRemaining(cells::add);
        }
        List<EvalReport> out = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            JsonNode report = root.isObject() ? cells.get(i) : cells.get(i).get("report");
            if (report == null || !report.isObject()) {
                throw new DataFormatException(file, 0, "cell " + (i + 1) + " of " + cells.size()
                        + " has no \"report\" object (a compare --output cell is {\"strategy\", \"report\", \"paper\"})");
            }
            try {
                out.add(JSON.treeToValue(report, EvalReport.class));
            } catch (IOException e) {
                throw new DataFormatException(file, 0, (root.isObject() ? "" : "cell " + (i + 1) + ": ") + "not a sentemb results report: "
                        + e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "an empty compare output: no cells");
        }
        return out;
    }
}
