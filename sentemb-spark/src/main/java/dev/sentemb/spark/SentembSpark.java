package dev.sentemb.spark;

import dev.sentemb.load.ModelSpec;
import dev.sentemb.model.PassOptions;
import dev.sentemb.prompt.Templates;
import dev.sentemb.strategy.EmbeddingStrategy;
import dev.sentemb.strategy.EnsembleStrategy;
import dev.sentemb.strategy.Pooling;
import dev.sentemb.strategy.PromptEolStrategy;
import dev.sentemb.strategy.Strategies;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * sentemb as a DataFrame transformation: {@link #embed} returns every input row with its embedding, or with
 * the reason it has none. Each executor JVM loads the model once ({@link ExecutorModels}) and embeds each
 * partition in packed batches through the core's engine, so the vectors are the library's, bit for bit,
 * however the rows are partitioned.
 */
public final class SentembSpark {
    /** The added columns: the vector ({@code array<float>}, null when the row failed), the reason, the prompt's tokens. */
    public static final String EMBEDDING = "embedding";
    public static final String ERROR = "error";
    public static final String TOKENS = "tokens";

    private SentembSpark() {}

    /**
     * The rows of {@code df} with an {@code embedding} column ({@code array<float>}) and an {@code error}
     * column (null when fine; otherwise why this row has no vector: the row is kept, never dropped), and a
     * {@code tokens} column (the prompt's token count) when {@link Options#tokens} is on. Lazy, like every
     * Dataset transformation; within a partition the rows keep their order.
     */
    public static Dataset<Row> embed(Dataset<Row> df, String textColumn, ModelSpec spec, Options opts) {
        return embed(df, textColumn, spec, opts, null);
    }

    static Dataset<Row> embed(Dataset<Row> df, String textColumn, ModelSpec spec, Options opts, LongAccumulator rowsDone) {
        Objects.requireNonNull(df, "df");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(opts, "opts");
        StructType in = df.schema();
        int text = Arrays.asList(in.fieldNames()).indexOf(textColumn);
        if (text < 0) {
            throw new IllegalArgumentException("no column '" + textColumn + "' to embed; the columns are "
                    + String.join(", ", in.fieldNames()));
        }
        if (!(in.fields()[text].dataType() instanceof StringType)) {
            throw new IllegalArgumentException("column '" + textColumn + "' holds " + in.fields()[text].dataType().simpleString()
                    + ", not strings");
        }
        for (String added : opts.tokens() ? new String[] {EMBEDDING, ERROR, TOKENS} : new String[] {EMBEDDING, ERROR}) {
            if (Arrays.asList(in.fieldNames()).contains(added)) {
                throw new IllegalArgumentException("the input already has a column '" + added
                        + "', which embed adds; rename or drop it first");
            }
        }
        StructType out = in.add(EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), true)
                .add(ERROR, DataTypes.StringType, true);
        if (opts.tokens()) {
            out = out.add(TOKENS, DataTypes.IntegerType, true);
        }
        return df.mapPartitions(new PartitionEmbedder(spec, opts, text, rowsDone), Encoders.row(out));
    }

    /** Closes every model this JVM loaded for Spark tasks (an application that is done embedding may call it). */
    public static void releaseModels() {
        ExecutorModels.closeAll();
    }

    /**
     * How rows become vectors; every field has the library's default.
     *
     * @param strategy  a named strategy ({@link Strategies}: prompteol, pretcot, ke, echo, metaeol, tp, cp) or null for
     *                  PromptEOL; the prompt strategies take the template, pooling and layer below, the others set their own
     * @param template  {@code eol}, {@code icl:<name>} or a template in the underscore form
     * @param pooling   last token (PromptEOL) or mean
     * @param layer     the hidden-state index read ({@link PassOptions#FINAL_LAYER}: the final norm's output)
     * @param normalize scale each vector to unit length
     * @param maxTokens prompts longer than this fail their row (or are cut with {@code truncate}); 0: the model's context
     * @param truncate  cut an over-long sentence (its last tokens; the template stays whole) instead of failing it
     * @param batchRows rows handed to the engine at a time by one task (the engine packs them, with other tasks' rows, into passes)
     * @param threads   threads of the executor's model; 0: {@code spark.executor.cores} if set, else every core
     * @param sha256    the model file's expected SHA-256, checked once per executor JVM; null: only a registry model's own check
     * @param tokens    add the {@code tokens} column
     * @param templates null, or several templates (each in any {@code template} form) whose embeddings are averaged, each read
     *                  with the pooling and layer (as {@code --templates} of the CLI); not with a named strategy
     */
    public record Options(String strategy, String template, Pooling pooling, int layer, boolean normalize, int maxTokens, boolean truncate,
                          int batchRows, int threads, String sha256, boolean tokens, List<String> templates) implements Serializable {
        public Options {
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(pooling, "pooling");
            PassOptions.checkLayer(layer);
            if (templates != null) {
                for (int i = 0; i < templates.size(); i++) {
                    if (templates.get(i) == null) { // List.copyOf would throw a bare NullPointerException
                        throw new IllegalArgumentException("templates[" + i + "] is null");
                    }
                }
                templates = List.copyOf(templates);
                if (strategy != null) {
                    throw new IllegalArgumentException("templates are an ensemble of their own; they take the pooling and layer, not strategy " + strategy);
                }
                for (int i = 0; i < templates.size(); i++) {
                    try {
                        Templates.resolve(templates.get(i));
                    } catch (dev.sentemb.SentembException e) {
                        throw new IllegalArgumentException("templates[" + i + "]: " + e.getMessage());
                    }
                }
                if (templates.size() < 2) {
                    throw new IllegalArgumentException("an ensemble of templates needs at least two, not " + templates.size());
                }
            }
            if (strategy != null) {
                Strategies.Named named = Strategies.require(strategy);
                if (!named.promptFamily() && (!template.equals(named.template()) || pooling != named.pooling() || layer != named.layer())) {
                    throw new IllegalArgumentException("strategy " + strategy + " sets its own prompt and read-out; the template, pooling "
                            + "and layer apply to the prompt strategies (prompteol, pretcot, ke)");
                }
            }
            if (maxTokens < 0) {
                throw new IllegalArgumentException("maxTokens must be 0 (the model's context) or positive, not " + maxTokens);
            }
            if (batchRows < 1) {
                throw new IllegalArgumentException("batchRows must be at least 1, not " + batchRows);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be 0 (automatic) or positive, not " + threads);
            }
            if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, not '" + sha256 + "'");
            }
        }

        public static Options defaults() {
            return new Options(null, "eol", Pooling.LAST, PassOptions.FINAL_LAYER, false, 0, false, 256, 0, null, false, null);
        }

        /**
         * A named strategy, set as its authors set it: its template, pooling and layer (a prompt strategy's may then be
         * changed with the other withers); null: PromptEOL with the library's defaults.
         */
        public Options withStrategy(String name) {
            if (name == null) {
                return new Options(null, "eol", Pooling.LAST, PassOptions.FINAL_LAYER, normalize, maxTokens, truncate, batchRows, threads, sha256, tokens, null);
            }
            Strategies.Named n = Strategies.require(name);
            return new Options(n.name(), n.template(), n.pooling(), n.layer(), normalize, maxTokens, truncate, batchRows, threads, sha256, tokens, null);
        }

        /**
         * Several templates (null: none), each in any {@code template} form, their embeddings averaged: an ensemble that
         * replaces the template and the strategy.
         */
        public Options withTemplates(List<String> specs) {
            return new Options(specs == null ? strategy : null, template, pooling, layer, normalize, maxTokens, truncate, batchRows, threads, sha256,
                    tokens, specs);
        }

        /** What the encoder runs: the templates' ensemble, the named strategy, or PromptEOL with this template, pooling and layer. */
        EmbeddingStrategy embeddingStrategy() {
            if (templates != null) {
                return EnsembleStrategy.ofTemplates("Templates", templates.stream().map(Templates::resolve).toList(), pooling, layer);
            }
            Strategies.Named named = strategy == null ? null : Strategies.require(strategy);
            if (named != null && !named.promptFamily()) {
                return named.strategy();
            }
            return new PromptEolStrategy(Templates.resolve(template), pooling, layer);
        }

        public Options withTemplate(String t) {
            return new Options(strategy, t, pooling, layer, normalize, maxTokens, truncate, batchRows, threads, sha256, tokens, templates);
        }

        public Options withPooling(Pooling p) {
            return new Options(strategy, template, p, layer, normalize, maxTokens, truncate, batchRows, threads, sha256, tokens, templates);
        }

        public Options withLayer(int l) {
            return new Options(strategy, template, pooling, l, normalize, maxTokens, truncate, batchRows, threads, sha256, tokens, templates);
        }

        public Options withNormalize(boolean on) {
            return new Options(strategy, template, pooling, layer, on, maxTokens, truncate, batchRows, threads, sha256, tokens, templates);
        }

        public Options withMaxTokens(int n) {
            return new Options(strategy, template, pooling, layer, normalize, n, truncate, batchRows, threads, sha256, tokens, templates);
        }

        public Options withTruncate(boolean on) {
            return new Options(strategy, template, pooling, layer, normalize, maxTokens, on, batchRows, threads, sha256, tokens, templates);
        }

        public Options withBatchRows(int n) {
            return new Options(strategy, template, pooling, layer, normalize, maxTokens, truncate, n, threads, sha256, tokens, templates);
        }

        public Options withThreads(int n) {
            return new Options(strategy, template, pooling, layer, normalize, maxTokens, truncate, batchRows, n, sha256, tokens, templates);
        }

        public Options withSha256(String hex) {
            return new Options(strategy, template, pooling, layer, normalize, maxTokens, truncate, batchRows, threads, hex, tokens, templates);
        }

        public Options withTokens(boolean on) {
            return new Options(strategy, template, pooling, layer, normalize, maxTokens, truncate, batchRows, threads, sha256, on, templates);
        }

        /** The options that decide the encoder (the per-JVM cache key): not how rows are fed to it. */
        Options encoderKey() {
            return new Options(strategy, template, pooling, layer, normalize, maxTokens, truncate, 1, threads, sha256, false, templates);
        }
    }
}
