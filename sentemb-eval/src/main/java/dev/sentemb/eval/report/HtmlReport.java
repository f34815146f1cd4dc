package dev.sentemb.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.eval.sts.StsData;
import dev.sentemb.eval.transfer.TransferData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A self-contained HTML report: the Markdown tables as HTML, per-task bars, the STS-B cosine-vs-gold
 * scatter (one colour per results file), and with results from two or more model sizes a scaling chart
 * (STS average against model file size, plain and with a demonstration). Charts are drawn by
 * Chart.js, inlined from its webjar so the file needs no network; animation is off so a headless
 * screenshot shows the final charts.
 */
public final class HtmlReport {
    private static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.4.7/dist/chart.umd.js";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HtmlReport() {}

    public static String render(String title, List<EvalReport> reports) {
        Map<String, Object> charts = new LinkedHashMap<>();
        if (reports.stream().anyMatch(r -> r.sts() != null && !r.sts().isEmpty())) {
            charts.put("sts", bars(reports, StsData.STS_TASKS, true));
        }
        if (reports.stream().anyMatch(r -> r.transfer() != null && !r.transfer().isEmpty())) {
            charts.put("transfer", bars(reports, TransferData.TASKS, false));
        }
        List<Map<String, Object>> scatter = reports.stream().filter(r -> r.stsbScatter() != null && !r.stsbScatter().isEmpty())
                .map(r -> Map.<String, Object>of("label", r.model() + " " + Markdown.label(r),
                        "points", r.stsbScatter().stream().map(p -> Map.of("x", p.gold(), "y", p.cosine())).toList()))
                .toList();
        if (!scatter.isEmpty()) {
            charts.put("scatter", scatter);
        }
        // A scaling chart needs at least two model sizes to say anything.
        if (reports.stream().map(EvalReport::modelBytes).filter(Objects::nonNull).distinct().count() > 1) {
            charts.put("scaling", scaling(reports));
        }
        String data;
        try {
            data = JSON.writeValueAsString(charts).replace("</", "<\\/");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:24px;max-width:1100px}table{border-collapse:collapse;margin:12px 0}")
                .append("td,th{border:1px solid #bbb;padding:3px 7px;text-align:right}td:first-child,td:nth-child(2),th{text-align:left}td:nth-child(2){max-width:360px}")
                .append(".chart{width:1000px;height:380px;margin:18px 0}</style>\n<script>")
                .append(chartJs().replace("</script", "<\\/script")).append("</script></head><body>\n<h1>").append(esc(title)).append("</h1>\n");
        h.append(tablesHtml(reports));
        for (String id : List.of("sts", "transfer", "scatter", "scaling")) {
            if (charts.containsKey(id)) {
                h.append("<div class=\"chart\"><canvas id=\"").append(id).append("\"></canvas></div>\n");
            }
        }
        h.append("<script>const D=").append(data).append(";\n").append(SCRIPT).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static final String SCRIPT = """
            Chart.defaults.animation=false;
            const colors=['#4e79a7','#f28e2b','#59a14f','#e15759','#76b7b2','#edc948','#b07aa1','#9c755f'];
            function bars(id,title,c){if(!c.datasets.some(d=>d.data.some(v=>v!==null)))return;
              new Chart(document.getElementById(id),{type:'bar',data:{labels:c.labels,datasets:c.datasets.map((d,i)=>({label:d.label,data:d.data,backgroundColor:colors[i%8]}))},
              options:{maintainAspectRatio:false,plugins:{title:{display:true,text:title}},scales:{y:{beginAtZero:true}}}});}
            if(D.sts)bars('sts','STS: Spearman ×100 per task',D.sts);
            if(D.transfer)bars('transfer','Transfer: accuracy per task',D.transfer);
            if(D.scatter)new Chart(document.getElementById('scatter'),{type:'scatter',data:{datasets:D.scatter.map((s,i)=>({label:s.label,data:s.points,pointRadius:2,backgroundColor:colors[i%8]+'80'}))},
              options:{maintainAspectRatio:false,plugins:{title:{display:true,text:'STS-B test: cosine against gold score'}},scales:{x:{title:{display:true,text:'gold score'}},y:{title:{display:true,text:'cosine'}}}}});
            if(D.scaling)new Chart(document.getElementById('scaling'),{type:'line',data:{datasets:D.scaling.map((s,i)=>({label:s.label,data:s.points,borderColor:colors[i%8],backgroundColor:colors[i%8]}))},
              options:{maintainAspectRatio:false,parsing:true,plugins:{title:{display:true,text:'Scaling: STS average against model size'},tooltip:{callbacks:{label:c=>c.raw.name+': '+c.raw.y.toFixed(2)}}},
              scales:{x:{type:'logarithmic',title:{display:true,text:'model file size (MB)'}},y:{title:{display:true,text:'STS avg (Spearman ×100)'}}}}});
            """;

    private static Map<String, Object> bars(List<EvalReport> reports, List<String> tasks, boolean sts) {
        List<Map<String, Object>> ds = new ArrayList<>();
        for (EvalReport r : Markdown.scored(reports, tasks, sts)) {
            List<Double> v = new ArrayList<>();
            for (String t : tasks) {
                v.add(sts ? Markdown.stsScore(r, t) : Markdown.transferScore(r, t));
            }
            ds.add(Map.of("label", r.model() + " " + Markdown.label(r), "data", v));
        }
        return Map.of("labels", tasks, "datasets", ds);
    }

    private static List<Map<String, Object>> scaling(List<EvalReport> reports) {
        List<Map<String, Object>> series = new ArrayList<>();
        // One line per strategy (PromptEOL, PretCoT, ...); every demonstration counts as one: "with demonstration".
        Map<String, List<EvalReport>> byStrategy = new LinkedHashMap<>();
        reports.stream().filter(r -> r.stsAvg() != null && r.modelBytes() != null)
                .forEach(r -> byStrategy.computeIfAbsent(r.withDemonstration() ? "with demonstration" : Markdown.label(r),
                        k -> new ArrayList<>()).add(r));
        byStrategy.forEach((label, rs) -> {
            List<Map<String, Object>> pts = new ArrayList<>();
            rs.stream().sorted(java.util.Comparator.comparing(EvalReport::modelBytes))
                    .forEach(r -> pts.add(Map.of("x", r.modelBytes() / 1e6, "y", r.stsAvg(), "name", r.model())));
            series.add(Map.of("label", label.equals("PromptEOL") ? "plain PromptEOL" : label, "points", pts));
        });
        return series;
    }

    private static String tablesHtml(List<EvalReport> reports) {
        StringBuilder h = new StringBuilder();
        for (String block : Markdown.tables(reports).split("\n\n")) {
            h.append("<table>\n");
            boolean head = true;
            for (String line : block.split("\n")) {
                if (line.startsWith("|---")) {
                    continue;
                }
                String[] cells = line.substring(1, line.length() - 1).split("(?<!\\\\)\\|");
                h.append("<tr>");
                for (String c : cells) {
                    String tag = head ? "th" : "td";
                    h.append('<').append(tag).append('>').append(esc(c.strip().replace("\\|", "|"))).append("</").append(tag).append('>');
                }
                h.append("</tr>\n");
                head = false;
            }
            h.append("</table>\n");
        }
        return h.toString();
    }

    static String chartJs() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(CHART_JS)) {
            if (in == null) {
                throw new IllegalStateException("Chart.js is missing from the classpath (" + CHART_JS + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
