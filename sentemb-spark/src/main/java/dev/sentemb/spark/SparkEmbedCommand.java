package dev.sentemb.spark;

import dev.sentemb.SentembException;
import dev.sentemb.load.KnownModel;
import dev.sentemb.load.ModelRegistry;
import dev.sentemb.load.ModelSpec;
import dev.sentemb.strategy.Pooling;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sentemb spark-embed}: a corpus of any size embedded on Apache Spark, locally or on a cluster, written as
 * Parquet or JSONL with every input row kept (its vector or its error) and the input's order in an id column.
 * No Spark type appears in this class's fields or methods (the main CLI lists it without Spark on its class
 * path); {@link SparkEmbedSession} does the work.
 */
@Command(name = "spark-embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Embed a corpus on Apache Spark (local[*] by default, or a cluster with --master, or under spark-submit).",
                "Every input row comes out once: with its embedding, or with the reason in the error column.",
                "Output: a directory of Parquet (default) or JSONL part files, rows in input order by their id."})
public final class SparkEmbedCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "PATH", description = "A file or directory (any path Spark reads: local, hdfs://, s3a://).")
    String input;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "The output directory (must not exist unless --overwrite).")
    String output;

    @Option(names = "--input-format", paramLabel = "FORMAT", description = "text, jsonl, csv or parquet (default: from the input's name; text otherwise).")
    String inputFormat;

    @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "parquet", description = "parquet (default) or jsonl.")
    String outputFormat;

    @Option(names = "--text-column", paramLabel = "NAME", defaultValue = "text", description = "The column holding the text (default: text; a text file's lines are this column).")
    String textColumn;

    @Option(names = "--id-column", paramLabel = "NAME", description = "The input's own id column; without it rows are numbered from 0 in input order in a column 'id'.")
    String idColumn;

    @Option(names = "--model", paramLabel = "NAME|PATH", defaultValue = ModelRegistry.DEFAULT_MODEL,
            description = "A registry name (each executor fetches it into its model cache), a GGUF file or HF directory on storage every executor sees, or a file shipped with --files (found by its name). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--sha256", paramLabel = "HEX", description = "The model file's SHA-256, checked once by every executor (default: the registry's for a registry name, the driver's copy's for a file the driver sees).")
    String sha256;

    @Option(names = "--adapter", paramLabel = "DIR", description = "A PEFT LoRA adapter directory (on storage every executor sees).")
    String adapter;

    @Option(names = "--q8", description = "Quantize an HF checkpoint's matrices to Q8_0 on load.")
    boolean q8;

    @Option(names = "--strategy", paramLabel = "NAME",
            description = "A named embedding strategy, set as its authors set it: prompteol (default), pretcot, ke (prompts: --template, "
                    + "--pooling and --layer change them), echo, metaeol, tp, cp (their own prompt and read-out).")
    String strategy;

    @Option(names = "--template", paramLabel = "T", description = "eol, icl:<name> or a template in the underscore form (default: eol, or the --strategy's).")
    String template;

    @Option(names = "--templates", paramLabel = "FILE",
            description = "Several templates, one a line (each in any --template form; blank lines and # comments skipped), read here and "
                    + "shipped to the executors: a row's embedding is the mean of its embeddings under every template (with --pooling and --layer).")
    Path templates;

    @Option(names = "--pooling", paramLabel = "P", description = "last (PromptEOL) or mean (default: last, or the --strategy's).")
    String pooling;

    @Option(names = "--layer", paramLabel = "N", description = "Hidden-state index to read (-1: the final layer's normed output; default: -1, or the --strategy's).")
    Integer layer;

    @Option(names = "--normalize", description = "Scale each vector to unit length.")
    boolean normalize;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "0", description = "Prompts over N tokens fail their row (or are cut with --truncate); 0: the model's context.")
    int maxTokens;

    @Option(names = "--truncate", description = "Cut an over-long sentence to fit instead of failing its row (the template stays whole).")
    boolean truncate;

    @Option(names = "--tokens", description = "Add a 'tokens' column: each prompt's token count.")
    boolean tokens;

    @Option(names = "--master", paramLabel = "URL", description = "local[*] (default, unless spark-submit set one), local[N], spark://host:port, yarn, k8s://...")
    String master;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0", description = "Ranges embedded in parallel (0: the input's partitions or the default parallelism, whichever is more).")
    int partitions;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Threads per executor's model (0: spark.executor.cores if set, else every core).")
    int threads;

    @Option(names = "--batch-rows", paramLabel = "N", defaultValue = "256", description = "Rows a task hands the engine at a time.")
    int batchRows;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable), e.g. --conf spark.executor.memory=2g.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--overwrite", description = "Replace the output directory if it exists.")
    boolean overwrite;

    @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "30", description = "Seconds between progress lines while a stage runs.")
    int progressSeconds;

    PrintStream out = System.out;

    @Override
    public Integer call() {
        try {
            return runJob();
        } catch (SentembException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            // Spark's own (a path it cannot read, a job aborted after a task failed its retries): the innermost cause says why
            throw new SentembException(SparkEmbedMain.rootMessage(e), e);
        }
    }

    private int runJob() {
        SparkEmbedMain.quietSparkLogs();
        if (progressSeconds < 1) {
            throw new IllegalArgumentException("--progress-seconds must be at least 1, not " + progressSeconds);
        }
        requireLocalInput(input);
        SentembSpark.Options opts = options();
        ModelSpec spec = new ModelSpec(model, adapter, true, q8, ModelSpec.AUTO_PACKED);
        InputFormat inFmt = inputFormat == null ? InputFormat.guess(input) : parse(InputFormat.class, "--input-format", inputFormat);
        OutputFormat outFmt = parse(OutputFormat.class, "--output-format", outputFormat);
        var config = new SparkEmbedJob.Config(input, inFmt, output, outFmt, textColumn, idColumn, spec, opts, partitions, overwrite);
        String m = master != null ? master : System.getProperty("spark.master", "local[*]");
        return SparkEmbedSession.run(config, m, conf, out, progressSeconds * 1000L);
    }

    /** A local input path (no scheme, or file:) that does not exist is refused before Spark starts; globs are Spark's to expand. */
    static void requireLocalInput(String input) {
        if (input.matches(".*[*?\\[{].*") || (input.contains("://") && !input.startsWith("file:"))) {
            return;
        }
        Path p = Path.of(input.startsWith("file:") ? java.net.URI.create(input).getPath() : input);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("--input " + input + ": no such file or directory");
        }
    }

    SentembSpark.Options options() {
        String sha = sha256 == null ? null : sha256.toLowerCase(java.util.Locale.ROOT);
        if (sha != null) {
            // given: every executor checks its copy against it
        } else if (ModelRegistry.find(model).isPresent()) {
            sha = ModelRegistry.find(model).map(KnownModel::sha256).orElseThrow();
        } else if (Files.isRegularFile(Path.of(model))) {
            sha = ExecutorModels.sha256(Path.of(model)); // executors must map this very file
        }
        SentembSpark.Options o = SentembSpark.Options.defaults().withStrategy(strategy);
        if (template != null) {
            o = o.withTemplate(template);
        }
        if (pooling != null) {
            o = o.withPooling(Pooling.parse(pooling));
        }
        if (layer != null) {
            o = o.withLayer(layer);
        }
        if (templates != null) {
            if (strategy != null || template != null) {
                throw new IllegalArgumentException("--templates is an ensemble of its own: it takes --pooling and --layer, not "
                        + (strategy != null ? "--strategy" : "--template"));
            }
            dev.sentemb.prompt.TemplateFile.resolve(templates); // a bad line named by file and line, before Spark starts
            o = o.withTemplates(dev.sentemb.prompt.TemplateFile.read(templates).stream().map(dev.sentemb.prompt.TemplateFile.Line::text).toList());
        }
        return o
                .withNormalize(normalize)
                .withMaxTokens(maxTokens)
                .withTruncate(truncate)
                .withTokens(tokens)
                .withThreads(threads)
                .withBatchRows(batchRows)
                .withSha256(sha);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.isEmpty() ? "" : ", ").append(e.name().toLowerCase(java.util.Locale.ROOT));
        }
        throw new IllegalArgumentException(option + ": '" + value + "' is not one of " + names);
    }
}
