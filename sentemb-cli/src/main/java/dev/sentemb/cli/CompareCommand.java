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
import dev.sentemb.model.PassOptions;
import dev.sentemb.strategy.EnsembleStrategy;
import dev.sentemb.strategy.Pooling;
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

    @Option(names = "--templates", split = ",", paramLabel = "FILE",
            description = "Template files (as eval's --templates: one template a line, a sentence's embeddings under all of them averaged), "
                    + "comma-separated: each is one more row per model, after the strategies'.")
    List<Path> templates = List.of();

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

    @Option(names = "--cached-only", description = "Score what the resume caches hold and embed nothing: each cell on the tasks whose "
            + "sentences are all cached (as an interrupted run leaves the tasks it finished); the tasks and cells left out are listed. "
            + "To assemble a grid that earlier runs embedded.")
    boolean cachedOnly;

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

    /** A registry name whose file the store does not hold yet (building an encoder would fetch it); a path is never. */
    static boolean notFetched(String model, ModelStore store) {
        return dev.sentemb.load.ModelRegistry.find(model).filter(k -> !java.nio.file.Files.isRegularFile(store.pathOf(k))).isPresent();
    }

    @Override
    public Integer call() throws Exception {
        OutputFiles.checkDirectories(outputs.mkdirs, output, markdown, report);
        if (cachedOnly && noCache) {
            throw new IllegalArgumentException("--cached-only scores what the resume caches hold; --no-cache turns them off");
        }
        List<Strategies.Named> named = strategies.stream().map(String::strip).map(Strategies::require).toList(); // all checked up front
        TransferEvaluator.Classifier clf = TransferEvaluator.Classifier.parse(classifier);
        List<String> names = TaskNames.expand(tasks);
        Path dir = DataDir.resolve(data);
        EvalRun run = EvalRun.load(dir, names);
        Path cacheRoot = noCache ? null : cacheDir != null ? cacheDir : ModelStore.standard().home().resolve("eval-cache");
        List<Row> rows = new ArrayList<>();
        named.forEach(n -> rows.add(new Row(n.name(), n::strategy, n.template(), n.readout()))); // readouts as eval names them: the caches are shared
        for (Path f : templates) {
            EnsembleStrategy ensemble = EnsembleStrategy.ofTemplateFile(f, Pooling.LAST, PassOptions.FINAL_LAYER); // every file checked before the first cell runs
            String name = "templates:" + f.getFileName();
            rows.add(new Row(name, () -> ensemble, name, "last"));
        }
        List<EvalReport> reports = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        for (Row row : rows) {
            for (String m : models) {
                Encoder.Builder b = Encoder.builder(m.strip()).strategy(row.strategy().get()).fetchProgress(Progress.forFetch(m));
                if (threads != null) {
                    b.threads(threads);
                }
                if (cachedOnly && notFetched(m.strip(), ModelStore.standard())) {
                    System.out.printf(Locale.ROOT, "compare: %s × %s: left out, the model is not fetched (--cached-only fetches nothing)%n", row.name(), m);
                    continue;
                }
                EvalCommand.Uncached[] missing = {null};
                EvalReport r = EvalCommand.evaluate(b, m.strip(), row.template(), row.readout(), run, clf, kfold, dir, cacheRoot,
                        cachedOnly ? u -> missing[0] = u : null);
                if (r == null) {
                    System.out.printf(Locale.ROOT, "compare: %s × %s: left out, %d of its sentences not in the cache (--cached-only)%n",
                            row.name(), m, missing[0].sentences());
                    continue;
                }
                if (missing[0] != null) {
                    System.out.printf(Locale.ROOT, "compare: %s × %s: %s left out, %d of their sentences not in the cache (--cached-only)%n",
                            row.name(), m, String.join(", ", missing[0].tasks()), missing[0].sentences());
                }
                reports.add(r);
                cells.add(row.name());
                System.out.printf(Locale.ROOT, "compare: %s × %s: %s, %s s%n", row.name(), m, scores(r), Markdown.wallOf(r));
            }
        }
        if (cachedOnly && reports.isEmpty()) {
            throw new dev.sentemb.SentembException("--cached-only: no task of any cell of the grid has all its sentences in the caches under " + cacheRoot);
        }
        List<String> legend = new ArrayList<>(named.stream().map(s -> s.name() + " = " + s.title() + " (" + s.cost() + ")").toList());
        templates.forEach(f -> legend.add("templates:" + f.getFileName() + " = the mean of the embeddings under the templates of " + f
                + " (one pass per template; each template's head computed once)"));
        String md = Markdown.tables(reports) + "\nStrategies: " + String.join("; ", legend) + ".\n";
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
                + String.join(", ", cells.stream().distinct().toList()), reports), outputs.mkdirs);
        return ExitCodes.OK;
    }

    /** One row of the grid: a strategy as each model's encoder gets it, and the template and read-out eval names it by. */
    private record Row(String name, java.util.function.Supplier<dev.sentemb.strategy.EmbeddingStrategy> strategy, String template, String readout) {}
}
