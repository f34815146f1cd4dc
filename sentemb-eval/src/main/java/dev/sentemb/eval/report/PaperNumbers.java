package dev.sentemb.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.eval.sts.StsData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The seven-task STS numbers the papers print for their models (paper-numbers.json beside this class: PromptEOL's
 * in-context OPT table, Token Prepending's and Contrastive Prompting's tables), so a comparison shows the paper's row
 * beside ours when a run used a model and strategy a paper reports. A run matches by its model (the Hugging Face id,
 * or a directory or cache entry named after it) and by its strategy as eval names it (template and read-out, default
 * settings only).
 */
public final class PaperNumbers {
    /** One printed row: the paper's seven scores and their average. */
    public record Row(String strategy, String hfId, String model, String paper, String where, Map<String, Double> sts, double avg) {}

    private static final List<Row> ROWS = load();

    private PaperNumbers() {}

    private static List<Row> load() {
        try (InputStream in = PaperNumbers.class.getResourceAsStream("paper-numbers.json")) {
            if (in == null) {
                throw new IllegalStateException("paper-numbers.json is missing from the class path");
            }
            List<Row> rows = new ArrayList<>();
            for (JsonNode n : new ObjectMapper().readTree(in).get("rows")) {
                Map<String, Double> sts = new LinkedHashMap<>();
                for (String task : StsData.STS_TASKS) {
                    sts.put(task, n.get("sts").get(task).asDouble());
                }
                rows.add(new Row(n.get("strategy").asText(), n.get("hf_id").asText(), n.get("model").asText(), n.get("paper").asText(),
                        n.get("where").asText(), sts, n.get("avg").asDouble()));
            }
            return List.copyOf(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Row> all() {
        return ROWS;
    }

    /** The paper's row for this run's model and strategy, if a paper prints one. */
    public static Optional<Row> find(EvalReport r) {
        String key = strategyKey(r.template(), r.pooling());
        if (key == null) {
            return Optional.empty();
        }
        return ROWS.stream().filter(row -> row.strategy().equals(key) && sameModel(r, row.hfId()))
                .filter(row -> !key.endsWith("icl") || demoOf(r.template()).equals(name(row.hfId())))
                .findFirst();
    }

    /** The strategy key of a run (the keys of paper-numbers.json), or null for a read-out no paper reports. */
    static String strategyKey(String template, String pooling) {
        String t = template == null ? "eol" : template;
        String p = pooling == null ? "last" : pooling;
        String base = switch (t) {
            case "eol", dev.sentemb.prompt.PromptTemplate.EOL -> "prompteol";
            case "pretcot", dev.sentemb.prompt.Templates.PRETCOT -> "pretcot";
            case "ke", dev.sentemb.prompt.Templates.KE -> "ke";
            case "echo" -> "echo";
            case "metaeol" -> "metaeol";
            default -> t.startsWith("icl:opt-") ? "icl" : null;
        };
        if (base == null) {
            return null;
        }
        if (p.equals("last@tp") || p.equals("last@cp")) {
            String method = p.substring(5);
            return base.equals("prompteol") ? method : base.equals("echo") || base.equals("metaeol") ? null : method + "-" + base;
        }
        return switch (base) {
            case "prompteol", "metaeol" -> p.equals("last") ? base : null;
            case "icl" -> p.equals("last") ? "prompteol-icl" : null;
            case "pretcot", "ke" -> p.equals("last@layer-2") ? base : null;
            case "echo" -> p.equals("mean") ? base : null;
            default -> null;
        };
    }

    private static String demoOf(String template) {
        return template == null || !template.startsWith("icl:") ? "" : template.substring(4).toLowerCase(Locale.ROOT);
    }

    private static String name(String hfId) {
        return hfId.substring(hfId.indexOf('/') + 1).toLowerCase(Locale.ROOT);
    }

    /** The run's model is the Hugging Face id, a directory named after it, or its entry in the Hugging Face cache. */
    static boolean sameModel(EvalReport r, String hfId) {
        String id = hfId.toLowerCase(Locale.ROOT);
        String model = r.model() == null ? "" : r.model().toLowerCase(Locale.ROOT).replaceFirst("@[^/]*$", "").replaceAll("/+$", "");
        String file = r.modelFile() == null ? "" : r.modelFile().toLowerCase(Locale.ROOT).replace('\\', '/').replaceAll("/+$", "");
        return model.equals(id) || model.endsWith("/" + name(hfId)) || model.equals(name(hfId))
                || file.endsWith("/" + name(hfId)) || file.contains("/models--" + id.replace("/", "--") + "/");
    }
}
