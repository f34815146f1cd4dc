package dev.sentemb.eval.report;

import dev.sentemb.SentembException;
import dev.sentemb.eval.run.ResumedWork;
import dev.sentemb.eval.sts.StsData;
import dev.sentemb.eval.sts.StsResult;
import dev.sentemb.eval.transfer.TransferData;
import dev.sentemb.eval.transfer.TransferResult;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.prompt.Templates;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The paper's tables in Markdown: STS Spearman ×100 and transfer accuracy, one row per results file. */
public final class Markdown {
    private Markdown() {}

    public static String tables(List<EvalReport> reports) {
        StringBuilder sb = new StringBuilder();
        if (reports.stream().anyMatch(r -> r.sts() != null && !r.sts().isEmpty())) {
            sb.append(table("STS (Spearman ×100)", StsData.STS_TASKS, reports, true));
        }
        if (reports.stream().anyMatch(r -> r.transfer() != null && !r.transfer().isEmpty())) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(table("Transfer (accuracy)", TransferData.TASKS, reports, false));
        }
        return sb.toString();
    }

    private static String table(String title, List<String> tasks, List<EvalReport> reports, boolean sts) {
        StringBuilder sb = new StringBuilder("| ").append(title).append(" | template |");
        StringBuilder sep = new StringBuilder("|---|---|");
        for (String t : tasks) {
            sb.append(' ').append(t).append(" |");
            sep.append("---:|");
        }
        sb.append(" Avg. | wall s |\n").append(sep).append("---:|---:|\n");
        for (EvalReport r : scored(reports, tasks, sts)) {
            sb.append("| ").append(r.model()).append(" | ").append(label(r)).append(" |");
            for (String t : tasks) {
                Double v = sts ? stsScore(r, t) : transferScore(r, t);
                sb.append(v == null ? " – |" : String.format(Locale.ROOT, " %.2f |", v));
            }
            Double avg = sts ? r.stsAvg() : r.transferAvg();
            sb.append(avg == null ? " – |" : String.format(Locale.ROOT, " %.2f |", avg));
            sb.append(' ').append(wall(r)).append(" |\n");
            PaperNumbers.Row paper = sts ? PaperNumbers.find(r).orElse(null) : null;
            if (paper != null) { // what the paper prints for this model and strategy, beside ours
                sb.append("| ↳ paper: ").append(paper.paper().replace("|", "\\|")).append(", ").append(paper.where()).append(" | ")
                        .append(label(r)).append(" |");
                for (String t : tasks) {
                    Double v = paper.sts().get(t);
                    sb.append(v == null ? " – |" : String.format(Locale.ROOT, " %.2f |", v));
                }
                sb.append(String.format(Locale.ROOT, " %.2f | – |%n", paper.avg()));
            }
        }
        return sb.toString();
    }

    /**
     * Seconds the row cost: this run's, plus what earlier runs recorded for the embeddings it resumed;
     * a lower bound ({@code ≥}) when some of those came from a cache that recorded no time.
     */
    public static String wallOf(EvalReport r) {
        return wall(r);
    }

    static String wall(EvalReport r) {
        ResumedWork w = r.resumed();
        if (w == null) {
            return String.format(Locale.ROOT, "%.0f", r.wallSeconds());
        }
        List<String> parts = new ArrayList<>();
        if (w.untimed() < w.count()) {
            parts.add(String.format(Locale.ROOT, "%.0f resumed", w.seconds()));
        }
        if (w.untimed() > 0) {
            parts.add(w.untimed() + " cached untimed");
        }
        return String.format(Locale.ROOT, "%s%.0f (%s)", w.untimed() > 0 ? "≥ " : "", r.totalSeconds(), String.join("; ", parts));
    }

    private static final Pattern DEMONSTRATION =
            Pattern.compile("This_sentence_:_\"(.*)\"_means_in_one_word:\"(.*)\"\\.This_sentence_:_\"\\*sent_0\\*\"_means_in_one_word:\"");

    /**
     * A short readable name for the template: {@code PromptEOL} for the paper's plain template,
     * {@code demo "…" → Word} for a one-shot demonstration in front of it, else the template with its
     * underscores read as spaces; long text is cut with an ellipsis so tables stay narrow.
     */
    static String label(EvalReport r) {
        String t = r.template() == null ? "" : r.template();
        if (t.startsWith("icl:")) {
            t = namedTemplate(t);
        }
        String name;
        Matcher m = DEMONSTRATION.matcher(t);
        if (t.equals("eol") || t.equals(PromptTemplate.EOL)) {
            name = "PromptEOL";
        } else if (t.equals("pretcot") || t.equals(Templates.PRETCOT)) {
            name = "PretCoT";
        } else if (t.equals("ke") || t.equals(Templates.KE)) {
            name = "Knowledge Enhancement";
        } else if (t.equals("echo")) {
            name = "Echo";
        } else if (t.equals("metaeol")) {
            name = "MetaEOL";
        } else if (t.startsWith("templates:")) { // sentemb's --templates: a file's templates averaged
            name = "mean of the templates in " + cut(t.substring("templates:".length()), 40);
        } else if (m.matches()) {
            name = "demo \"" + cut(m.group(1).replace('_', ' '), 32) + "\" → " + cut(m.group(2), 16);
        } else {
            name = cut(t.replace('_', ' '), 60);
        }
        String pooling = r.pooling() == null ? "last" : r.pooling();
        for (String[] hooked : new String[][] {{"last@tp", "Token Prepending"}, {"last@cp", "Contrastive Prompting"}}) {
            if (pooling.startsWith(hooked[0])) { // a strategy over a template: its own name, the template's after it, its settings
                String settings = pooling.substring(hooked[0].length());
                return (hooked[1] + (name.equals("PromptEOL") ? "" : " + " + name)).replace("|", "\\|") + (settings.isEmpty() ? "" : " (" + settings + ")");
            }
        }
        boolean own = r.pooling() == null || r.pooling().equals("last")
                || ((name.equals("PretCoT") || name.equals("Knowledge Enhancement")) && r.pooling().equals("last@layer-2"))
                || (name.equals("Echo") && r.pooling().equals("mean")); // the strategy's own read-out
        return name.replace("|", "\\|") + (own ? "" : " (" + r.pooling() + ")");
    }

    /** A named demonstration ({@code icl:smoking}) as its underscore form; a name this version does not know stays as it is. */
    private static String namedTemplate(String name) {
        try {
            return Templates.resolve(name).source();
        } catch (SentembException unknown) {
            return name;
        }
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max - 1) + "…" : s;
    }

    /** The reports with at least one score among {@code tasks}: a results file without transfer tasks gets no transfer row. */
    static List<EvalReport> scored(List<EvalReport> reports, List<String> tasks, boolean sts) {
        return reports.stream().filter(r -> tasks.stream().anyMatch(t -> (sts ? stsScore(r, t) : transferScore(r, t)) != null)).toList();
    }

    static Double stsScore(EvalReport r, String task) {
        return r.sts() == null ? null : r.sts().stream().filter(s -> s.task().equals(task)).map(StsResult::spearman).findFirst().orElse(null);
    }

    static Double transferScore(EvalReport r, String task) {
        return r.transfer() == null ? null : r.transfer().stream().filter(s -> s.task().equals(task)).map(TransferResult::acc).findFirst().orElse(null);
    }

    /** The 7-task transfer average, present only when all seven were run. */
    public static Double transferAverage(List<TransferResult> rs) {
        List<TransferResult> seven = rs.stream().filter(r -> TransferData.TASKS.contains(r.task())).toList();
        return seven.size() == TransferData.TASKS.size() ? seven.stream().mapToDouble(TransferResult::acc).average().getAsDouble() : null;
    }
}
