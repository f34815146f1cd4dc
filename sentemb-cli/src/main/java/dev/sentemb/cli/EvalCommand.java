package dev.sentemb.cli;

import dev.sentemb.embed.Encoder;
import dev.sentemb.load.KnownModel;
import dev.sentemb.load.ModelRegistry;
import dev.sentemb.load.ModelStore;
import dev.sentemb.eval.DataFormatException;
import dev.sentemb.eval.TaskNames;
import dev.sentemb.eval.report.EvalReport;
import dev.sentemb.eval.transfer.TransferEvaluator;
import dev.sentemb.eval.report.HtmlReport;
import dev.sentemb.eval.report.Markdown;
import dev.sentemb.eval.run.EmbeddingCache;
import dev.sentemb.eval.run.EmbeddingFile;
import dev.sentemb.eval.run.TaskEmbedder;
import dev.sentemb.eval.run.EvalRun;
import dev.sentemb.eval.run.ResumedWork;
import dev.sentemb.eval.sts.StsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a model, or precomputed embeddings, on SentEval's tasks exactly as the reference does: "
                + "STS (Spearman ×100 of cosine vs gold) and transfer tasks (logistic regression accuracy).",
                "Each distinct sentence is embedded once; finished embeddings are cached so an interrupted run resumes."})
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--tasks", defaultValue = "sts", paramLabel = "LIST",
            description = "sts, transfer, full, stsb-dev, or SentEval task names (STS12…STS16, STSBenchmark, SICKRelatedness, "
                    + "STSBenchmark-dev, MR, CR, SUBJ, MPQA, SST2, TREC, MRPC), comma-separated. Default: ${DEFAULT-VALUE}.")
    String tasks;

    @Option(names = "--embeddings", paramLabel = "FILE.jsonl",
            description = "Score these precomputed embeddings (the embed JSONL format, keyed by text) instead of a model.")
    Path embeddings;

    @Option(names = "--data", paramLabel = "DIR", description = "SentEval's data/downstream folder. Default: $SENTEMB_DATA, else ../shared/data/senteval beside the repository.")
    Path data;

    @Mixin
    OutputOptions outputs;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the results as JSON.")
    Path output;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Write a self-contained HTML report with charts.")
    Path report;

    @Option(names = "--markdown", paramLabel = "FILE.md", description = "Write the tables as Markdown.")
    Path markdown;

    @Option(names = "--classifier", defaultValue = "senteval", paramLabel = "senteval|liblinear",
            description = "The transfer tasks' logistic regression: senteval is the reference SentEval's own (early-stopped Adam, "
                    + "batch 64, epoch size 4, tenacity 5, seed 1111: numbers comparable with the paper's tables); liblinear the exact "
                    + "optimum of the same regularised loss (0.5-2 points higher on some tasks). Default: ${DEFAULT-VALUE}.")
    String classifier;

    @Option(names = "--kfold", defaultValue = "10", paramLabel = "K", description = "Folds of the transfer tasks' searches (the reference: 10). Default: ${DEFAULT-VALUE}.")
    int kfold;

    @Option(names = "--no-cache", description = "Neither read nor write the resume cache of finished embeddings.")
    boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where the resume caches live. Default: $SENTEMB_HOME/eval-cache.")
    Path cacheDir;

    @Override
    public Integer call() throws Exception {
        OutputFiles.checkDirectories(outputs.mkdirs, output, markdown, report);
        TransferEvaluator.Classifier clf = TransferEvaluator.Classifier.parse(classifier);
        List<String> names = TaskNames.expand(tasks);
        Path dir = DataDir.resolve(data);
        EvalRun run = EvalRun.load(dir, names); // every data file is checked before any embedding
        EvalReport rep;
        if (embeddings != null) {
            long t0 = System.nanoTime();
            Map<String, float[]> table = EmbeddingFile.read(embeddings);
            EvalRun.Outcome out = run.run((task, sentences) -> lookup(table, sentences), kfold, Progress.forScoring(), clf);
            rep = report(embeddings.getFileName().toString(), embeddings.toString(), null, null, "(precomputed)", null, run, out, clf,
                    kfold, dir, (System.nanoTime() - t0) / 1e9, null);
        } else {
            Path cacheRoot = noCache ? null : cacheDir != null ? cacheDir : ModelStore.standard().home().resolve("eval-cache");
            rep = evaluate(model.encoder(), model.model, model.templateSpec(), model.readout(), run, clf, kfold, dir, cacheRoot);
        }
        String md = Markdown.tables(List.of(rep));
        System.out.print(md);
        System.out.printf(Locale.ROOT, "(%d distinct sentences, %d task%s, %.1f s", rep.sentences(), names.size(), names.size() == 1 ? "" : "s",
                rep.wallSeconds());
        ResumedWork resumed = rep.resumed();
        if (resumed != null) {
            System.out.printf(Locale.ROOT, "; %d embeddings resumed from the cache, %.1f s in the runs that made them%s", resumed.count(),
                    resumed.seconds(), resumed.untimed() > 0 ? " (" + resumed.untimed() + " of them made before times were recorded)" : "");
        }
        System.out.println(")");
        OutputFiles.writeString(output, rep.toJson(), outputs.mkdirs);
        OutputFiles.writeString(markdown, md, outputs.mkdirs);
        OutputFiles.writeString(report, HtmlReport.render("sentemb eval: " + rep.model(), List.of(rep)), outputs.mkdirs);
        return ExitCodes.OK;
    }

    /**
     * Builds the encoder, embeds every distinct sentence of the run's tasks (resuming from the cache under
     * {@code cacheRoot} unless it is null), scores them and returns the report. Shared by eval and compare.
     */
    static EvalReport evaluate(Encoder.Builder builder, String modelName, String template, String readout, EvalRun run,
                               TransferEvaluator.Classifier clf, int kfold, Path dataDir, Path cacheRoot) throws java.io.IOException {
        return evaluate(builder, modelName, template, readout, run, clf, kfold, dataDir, cacheRoot, null);
    }

    /**
     * What a cache-only run could not score: the tasks left out and how many of their distinct sentences the cache
     * lacks (all of the run's tasks when nothing could be scored).
     */
    record Uncached(List<String> tasks, int sentences) {}

    /**
     * As above; when {@code uncached} is given, nothing is embedded: the run is scored on the tasks whose sentences
     * are all in the cache (as an interrupted run leaves the tasks it finished), {@code uncached} is told what was
     * left out, and null is returned when no task could be scored.
     */
    static EvalReport evaluate(Encoder.Builder builder, String modelName, String template, String readout, EvalRun run,
                               TransferEvaluator.Classifier clf, int kfold, Path dataDir, Path cacheRoot,
                               java.util.function.Consumer<Uncached> uncached) throws java.io.IOException {
        long t0 = System.nanoTime();
        try (Encoder enc = builder.build()) {
            Long bytes = Files.isRegularFile(enc.modelPath()) ? Files.size(enc.modelPath()) : null;
            String sha = ModelRegistry.find(modelName).map(KnownModel::sha256).orElse(null);
            EmbeddingCache cache = cacheRoot == null ? null
                    : new EmbeddingCache(EmbeddingCache.fileFor(cacheRoot, enc.modelPath(), enc.spec(), enc.prompt("*sent_0*"),
                    enc.strategy().boundSettings().isEmpty() ? readout : readout + "@" + enc.strategy().boundSettings())); // two settings never share a cache
            TaskEmbedder embedder = new TaskEmbedder(enc, cache, Progress.forEmbedding());
            if (uncached != null && embedder.missing(run) > 0) {
                List<String> cached = new ArrayList<>(), left = new ArrayList<>();
                for (String task : run.taskNames()) {
                    (embedder.missing(run.only(List.of(task))) == 0 ? cached : left).add(task);
                }
                uncached.accept(new Uncached(left, embedder.missing(run.only(left))));
                if (cached.isEmpty()) {
                    return null;
                }
                run = run.only(cached);
            }
            if (embedder.resumable() > 0) {
                System.err.printf("sentemb: resuming with %d cached embeddings from %s%n", embedder.resumable(), cache.file());
            }
            EvalRun.Outcome out = run.run(embedder::embed, kfold, Progress.forScoring(), clf);
            return report(modelName, enc.modelPath().toString(), sha, bytes, template, readout, run, out, clf, kfold, dataDir,
                    (System.nanoTime() - t0) / 1e9, embedder.resumed());
        }
    }

    private static EvalReport report(String modelName, String modelFile, String sha, Long bytes, String template, String readout, EvalRun run,
                                     EvalRun.Outcome out, TransferEvaluator.Classifier clf, int kfold, Path dir, double wall, ResumedWork resumed) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("sentemb", Main.class.getAnnotation(picocli.CommandLine.Command.class).version()[0]);
        versions.put("java", System.getProperty("java.version"));
        versions.put("senteval_protocol", "kongds/scaling_sentemb SentEval, test mode (kfold " + kfold + ")");
        if (!run.transferTasks().isEmpty()) {
            versions.put("transfer_classifier", clf.label());
        }
        return new EvalReport(modelName, modelFile, sha, bytes, template, readout, versions, Instant.now().toString(), dir.toString(), wall,
                resumed, out.sentences(), out.sts(), out.sts().isEmpty() ? null : StsTable.average(out.sts()).stream().boxed().findFirst().orElse(null),
                out.transfer(), out.transfer().isEmpty() ? null : Markdown.transferAverage(out.transfer()), out.stsbScatter());
    }


    private static Map<String, float[]> lookup(Map<String, float[]> table, List<String> sentences) {
        Map<String, float[]> out = new HashMap<>();
        for (String s : sentences) {
            float[] v = table.get(s);
            if (v == null) {
                throw new DataFormatException(Path.of("--embeddings"), 0, "no embedding for the SentEval sentence '" + s + "'");
            }
            out.put(s, v);
        }
        return out;
    }
}
