package dev.sentemb.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.eval.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The curves of one or more {@code sentemb train} runs, from their {@code train-log.jsonl}: loss and learning
 * rate per step, STS-B dev Spearman at each evaluation. Markdown summary and a self-contained HTML page.
 */
public final class TrainingReport {
    /** One run's log. */
    public record Run(String name, List<double[]> steps, List<double[]> dev) {
        /** steps: {step, loss, lr, grad norm, tokens/s}; dev: {step, score}. */
        public double[] bestDev() {
            return dev.stream().max(java.util.Comparator.comparingDouble(d -> d[1])).orElse(null);
        }
    }

    private TrainingReport() {}

    /** Whether {@code p} is a training log (a train-log.jsonl, or a run directory holding one). */
    public static boolean isTrainingLog(Path p) {
        return p.getFileName().toString().endsWith(".jsonl") || Files.isRegularFile(p.resolve("train-log.jsonl"));
    }

    public static Run read(Path p) {
        Path file = Files.isDirectory(p) ? p.resolve("train-log.jsonl") : p;
        List<double[]> steps = new ArrayList<>(), dev = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = json.readTree(lines.get(i));
                } catch (IOException e) {
                    throw new DataFormatException(file, i + 1, "not a JSON training-log line");
                }
                if (!n.has("step")) {
                    throw new DataFormatException(file, i + 1, "a training-log line needs a step");
                }
                int step = n.get("step").asInt();
                if (n.has("loss")) {
                    steps.add(new double[] {step, n.get("loss").asDouble(), n.path("lr").asDouble(), n.path("grad_norm").asDouble(),
                            n.path("tokens_per_s").asDouble()});
                }
                if (n.has("dev")) {
                    dev.add(new double[] {step, n.get("dev").asDouble()});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        if (steps.isEmpty() && dev.isEmpty()) {
            throw new DataFormatException(file, 0, "no training steps in the log");
        }
        String name = (Files.isDirectory(p) ? p : p.toAbsolutePath().getParent()).getFileName().toString();
        return new Run(name, steps, dev);
    }

    public static String markdown(List<Run> runs) {
        StringBuilder m = new StringBuilder("| run | steps | first loss | last loss | dev at start | best dev (step) | tokens/s (median) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (Run r : runs) {
            double[] best = r.bestDev();
            double[] start = r.dev().stream().filter(d -> d[0] == 0).findFirst().orElse(null);
            double[] tps = r.steps().stream().mapToDouble(s -> s[4]).sorted().toArray();
            m.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |%n", r.name(), r.steps().size(),
                    r.steps().isEmpty() ? "" : String.format(Locale.ROOT, "%.4f", r.steps().getFirst()[1]),
                    r.steps().isEmpty() ? "" : String.format(Locale.ROOT, "%.4f", r.steps().getLast()[1]),
                    start == null ? "" : String.format(Locale.ROOT, "%.2f", start[1]),
                    best == null ? "" : String.format(Locale.ROOT, "%.2f (%d)", best[1], (int) best[0]),
                    tps.length == 0 ? "" : String.format(Locale.ROOT, "%.0f", tps[tps.length / 2])));
        }
        return m.toString();
    }

    public static String html(String title, List<Run> runs) {
        List<Map<String, Object>> loss = new ArrayList<>(), dev = new ArrayList<>(), lr = new ArrayList<>();
        for (Run r : runs) {
            loss.add(series(r.name(), r.steps(), 1));
            lr.add(series(r.name(), r.steps(), 2));
            dev.add(series(r.name(), r.dev(), 1));
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("loss", loss);
        d.put("dev", dev);
        d.put("lr", lr);
        String data;
        try {
            data = new ObjectMapper().writeValueAsString(d).replace("</", "<\\/");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + HtmlReport.esc(title) + "</title>\n"
                + "<style>body{font-family:sans-serif;margin:24px;max-width:1100px}.chart{width:1000px;height:340px;margin:18px 0}"
                + "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:3px 7px}</style>\n<script>"
                + HtmlReport.chartJs().replace("</script", "<\\/script") + "</script></head><body>\n<h1>" + HtmlReport.esc(title) + "</h1>\n"
                + "<pre>" + HtmlReport.esc(markdown(runs)) + "</pre>\n"
                + "<div class=\"chart\"><canvas id=\"loss\"></canvas></div><div class=\"chart\"><canvas id=\"dev\"></canvas></div>"
                + "<div class=\"chart\"><canvas id=\"lr\"></canvas></div>\n<script>const D=" + data + ";\n" + SCRIPT + "</script>\n</body></html>\n";
    }

    private static Map<String, Object> series(String name, List<double[]> rows, int column) {
        List<Map<String, Double>> pts = new ArrayList<>();
        for (double[] r : rows) {
            pts.add(Map.of("x", r[0], "y", r[column]));
        }
        return Map.of("label", name, "points", pts);
    }

    private static final String SCRIPT = """
            Chart.defaults.animation=false;
            const colors=['#4e79a7','#f28e2b','#59a14f','#e15759','#76b7b2','#edc948','#b07aa1','#9c755f'];
            function line(id,title,y,s){new Chart(document.getElementById(id),{type:'line',data:{datasets:s.map((r,i)=>({label:r.label,data:r.points,borderColor:colors[i%8],backgroundColor:colors[i%8],pointRadius:2}))},
              options:{maintainAspectRatio:false,plugins:{title:{display:true,text:title}},scales:{x:{type:'linear',title:{display:true,text:'step'}},y:{title:{display:true,text:y}}}}});}
            line('loss','Contrastive loss per step','loss',D.loss);
            line('dev','STS-B dev Spearman ×100','Spearman ×100',D.dev);
            line('lr','Learning rate','lr',D.lr);
            """;
}
