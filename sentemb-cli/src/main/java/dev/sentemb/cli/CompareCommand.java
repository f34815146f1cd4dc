package dev.sentemb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sentemb.embed.Encoder;
import dev.sentemb.eval.TaskNames;
import dev.sentemb.eval.report.EvalReport;
import dev.sentemb.eval.report.HtmlReport;
import dev.sentemb.eval.report.Markdown;
import dev.sentemb.eval.report.PaperNumbers;
import dev.sentemb.eval.run.EvalRun;
import dev.sentemb.eval.transfer.TransferEvaluator;
import dev.sentemb.load.ModelStore;
import dev.sentemb.strategy.Strategies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sentemb compare}: the grid of models × named strategies, each cell scored exactly as {@code eval}
 * scores it (one de-duplicated embedding pass, the resume cache), in one JSON, one Markdown table and one
 * HTML report whose scaling chart draws each strategy against model size.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score several models with several embedding strategies side by side (rows strategy × model).",
                "Each cell is an eval run: SentEval-exact scores, embeddings cached so an interrupted grid resumes."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--models", defaultValue = "smollm2-135m", split = ",", paramLabel = "LIST",
            description = "Registry names, GGUF files or HF directories, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<String> models;

    @Option(names = "--strategies", defaultValue = "prompteol,pretcot,ke", split = ",", paramLabel = "LIST",
            description = "Named strategies (" + dev.sentemb.strategy.Strategies.NAMES + ": as --strategy of eval), comma-separated. Default: ${DEFAULT-VALUE}.")
    List<String> strategies;

    @Option(names = "--tasks", defaultValue = "sts", paramLabel = "LIST", description = "As eval's --tasks. Default: ${DEFAULT-VALUE}.")
    String tasks;

    @Option(names = "--data", paramLabel = "DIR", description = "SentEval's data/downstream folder (as eval).")
    Path data;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads. Default: all cores.")
    Integer threads;

    @Option(names = "--classifier", defaultValue = "senteval", paramLabel = "senteval|liblinear", description = "As eval's. Default: ${DEFAULT-VALUE}.")
    String classifier;

    @Option(names = "--kfold", defaultValue = "10", paramLabel = "K", description = "As eval's. Default: ${DEFAULT-VALUE}.")
    int kfold;

    @Option(names = "--no-cache", description = "Neither read nor write the resume caches.")
    boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where the resume caches live. Default: $SENTEMB_HOME/eval-cache.")
    Path cacheDir;

    @Mixin
    OutputOptions outputs;

    @Option(names = "--output", paramLabel = "FILE.json", description = "Every cell's full eval report, as a JSON array.")
    Path output;

    @Option(names = "--markdown", paramLabel = "FILE.md", description = "The comparison table as Markdown.")
    Path markdown;

    @Option(names = "--report", paramLabel = "FILE.html", description = "The HTML report: tables, per-task bars, each strategy against model size.")
    Path report;

    /** One cell in a line: each STS task's Spearman and the average when all seven ran; the transfer average. */
    private static String scores(EvalReport r) {
        List<String> parts = new ArrayList<>();
        r.sts().forEach(t -> parts.add(String.format(Locale.ROOT, "%s %.2f", t.task(), t.spearman())));
        if (r.stsAvg() != null) {
            parts.add(String.format(Locale.ROOT, "STS avg %.2f", r.stsAvg()));
        }
        if (r.transferAvg() != null) {
            parts.add(String.format(Locale.ROOT, "transfer avg %.2f", r.transferAvg()));
        }
        return String.join(", ", parts);
    }

    @Override
    public Integer call() throws Exception {
        OutputFiles.checkDirectories(outputs.mkdirs, output, markdown, report);
        List<Strategies.Named> named = strategies.stream().map(String::strip).map(Strategies::require).toList(); // all checked up front
        TransferEvaluator.Classifier clf = TransferEvaluator.Classifier.parse(classifier);
        List<String> names = TaskNames.expand(tasks);
        Path dir = DataDir.resolve(data);
        EvalRun run = EvalRun.load(dir, names);
        Path cacheRoot = noCache ? null : cacheDir != null ? cacheDir : ModelStore.standard().home().resolve("eval-cache");
        List<EvalReport> reports = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        for (Strategies.Named s : named) {
            for (String m : models) {
                Encoder.Builder b = Encoder.builder(m.strip()).strategy(s.strategy()).fetchProgress(Progress.forFetch(m));
                if (threads != null) {
                    b.threads(threads);
                }
                String readout = s.readout(); // as eval names it: the caches are shared
                EvalReport r = EvalCommand.evaluate(b, m.strip(), s.template(), readout, run, clf, kfold, dir, cacheRoot);
                reports.add(r);
                cells.add(s.name());
                System.out.printf(Locale.ROOT, "compare: %s × %s: %s, %s s%n", s.name(), m, scores(r), Markdown.wallOf(r));
            }
        }
        String md = Markdown.tables(reports) + "\nStrategies: " + String.join("; ", named.stream()
                .map(s -> s.name() + " = " + s.title() + " (" + s.cost() + ")").toList()) + ".\n";
        System.out.print(md);
        List<Map<String, Object>> json = new ArrayList<>();
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        for (int i = 0; i < reports.size(); i++) {
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("strategy", cells.get(i));
            cell.put("report", om.readTree(reports.get(i).toJson()));
            PaperNumbers.find(reports.get(i)).ifPresent(row -> cell.put("paper", row)); // what the paper prints for this cell
            json.add(cell);
        }
        OutputFiles.writeString(output, om.writeValueAsString(json) + "\n", outputs.mkdirs);
        OutputFiles.writeString(markdown, md, outputs.mkdirs);
        OutputFiles.writeString(report, HtmlReport.render("sentemb compare: " + String.join(", ", models) + " × "
                + String.join(", ", strategies), reports), outputs.mkdirs);
        return ExitCodes.OK;
    }
}
