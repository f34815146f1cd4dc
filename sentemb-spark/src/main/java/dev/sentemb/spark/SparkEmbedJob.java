package dev.sentemb.spark;

import dev.sentemb.load.ModelSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The {@code spark-embed} job on a running session: read the corpus, number its rows in input order (or use
 * the id column given), split it into contiguous ranges of ids, embed each range in id order, and write the
 * rows with Spark's output committer (a retried task never leaves a duplicate or a gap). The summary's
 * counts are read back from what was written.
 */
public final class SparkEmbedJob {
    /** The column holding each row's position in the input when the input has no id column of its own. */
    public static final String ROW_ID = "id";
    /** The name of the stages that embed and write (what progress lines and listeners see). */
    public static final String EMBED_STAGE = "embed and write";

    /**
     * @param idColumn   the input's own id column (ordering and joining back), or null to number rows from 0 in input order
     * @param partitions how many ranges to embed in parallel; 0: the input's partitions or the cluster's default parallelism, whichever is more
     */
    public record Config(String input, InputFormat inputFormat, String output, OutputFormat outputFormat, String textColumn,
                         String idColumn, ModelSpec spec, SentembSpark.Options options, int partitions, boolean overwrite) {
        public Config {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(inputFormat, "inputFormat");
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(outputFormat, "outputFormat");
            Objects.requireNonNull(textColumn, "textColumn");
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(options, "options");
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must be 0 (automatic) or positive, not " + partitions);
            }
        }
    }

    /** What the job did: rows read and written, rows with an error, the wall time of the embedding and writing. */
    public record Summary(long rowsIn, long rowsOut, long errors, double seconds, int partitions, int executors) {
        public double rowsPerSecond() {
            return rowsOut / Math.max(seconds, 1e-9);
        }

        @Override
        public String toString() {
            return String.format("%,d rows in, %,d rows out, %,d with an error; %.1f s, %.1f rows/s; %d partitions on %d executor%s",
                    rowsIn, rowsOut, errors, seconds, rowsPerSecond(), partitions, executors, executors == 1 ? "" : "s");
        }
    }

    private SparkEmbedJob() {}

    public static Summary run(SparkSession spark, Config c, PrintStream log, long progressMillis) {
        Dataset<Row> raw = read(spark, c);
        String id = c.idColumn() != null ? c.idColumn() : ROW_ID;
        Dataset<Row> indexed = c.idColumn() != null ? raw : numbered(spark, raw);
        if (c.idColumn() != null && !Arrays.asList(raw.columns()).contains(c.idColumn())) {
            throw new IllegalArgumentException("no id column '" + c.idColumn() + "' in " + c.input() + "; its columns are "
                    + String.join(", ", raw.columns()));
        }
        var sc = spark.sparkContext();
        sc.setCallSite("count input rows");
        long rowsIn = indexed.count();
        int parts = c.partitions() > 0 ? c.partitions()
                : Math.max(raw.javaRDD().getNumPartitions(), spark.sparkContext().defaultParallelism());
        // Contiguous id ranges, each embedded in id order: the part files are the input's order.
        sc.setCallSite("split ids into ranges");
        Dataset<Row> ranged = indexed.repartitionByRange(parts, functions.col(id)).sortWithinPartitions(id);
        LongAccumulator rows = spark.sparkContext().longAccumulator("sentemb rows embedded");
        EmbedProgress progress = new EmbedProgress(log, rows, progressMillis);
        spark.sparkContext().addSparkListener(progress);
        long t0 = System.nanoTime();
        try {
            Dataset<Row> embedded = SentembSpark.embed(ranged, c.textColumn(), c.spec(), c.options(), rows);
            sc.setCallSite(EMBED_STAGE);
            embedded.write()
                    .mode(c.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                    .format(c.outputFormat().sparkFormat)
                    .option("ignoreNullFields", "false")
                    .save(c.output());
            double secs = (System.nanoTime() - t0) / 1e9;
            sc.setCallSite("count output rows");
            Dataset<Row> written = spark.read().schema(embedded.schema()).format(c.outputFormat().sparkFormat).load(c.output());
            long out = written.count();
            long errors = written.filter(functions.col(SentembSpark.ERROR).isNotNull()).count();
            return new Summary(rowsIn, out, errors, secs, parts, executors(spark));
        } finally {
            sc.clearCallSite();
            sc.removeSparkListener(progress);
            progress.close();
        }
    }

    /** The input as a DataFrame with a string column named {@code textColumn}. */
    static Dataset<Row> read(SparkSession spark, Config c) {
        Dataset<Row> df = switch (c.inputFormat()) {
            case TEXT -> spark.read().option("wholetext", "false").text(c.input()).withColumnRenamed("value", c.textColumn());
            case JSONL -> spark.read().option("mode", "PERMISSIVE").json(c.input());
            case CSV -> spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"").csv(c.input());
            case PARQUET -> spark.read().parquet(c.input());
        };
        List<String> cols = Arrays.asList(df.columns());
        if (!cols.contains(c.textColumn())) {
            throw new IllegalArgumentException("no column '" + c.textColumn() + "' in " + c.input() + " (read as "
                    + c.inputFormat().name().toLowerCase(java.util.Locale.ROOT) + "); its columns are " + String.join(", ", cols)
                    + "; name the text column with --text-column");
        }
        StructField f = df.schema().apply(c.textColumn());
        if (!(f.dataType() instanceof StringType)) {
            // JSON numbers or booleans where text was expected: embed their text form rather than refuse the file.
            df = df.withColumn(c.textColumn(), functions.col(c.textColumn()).cast(DataTypes.StringType));
        }
        return df;
    }

    /** Prepends a {@code long} id: the row's position in the input (partition by partition, in file order). */
    private static Dataset<Row> numbered(SparkSession spark, Dataset<Row> df) {
        if (Arrays.asList(df.columns()).contains(ROW_ID)) {
            throw new IllegalArgumentException("the input already has a column '" + ROW_ID
                    + "'; name it as the id column (--id-column " + ROW_ID + ") or rename it");
        }
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(ROW_ID, DataTypes.LongType, false));
        fields.addAll(Arrays.asList(df.schema().fields()));
        spark.sparkContext().setCallSite("number input rows");
        JavaRDD<Row> rows = df.javaRDD().zipWithIndex().map(t -> {
            Row r = t._1();
            Object[] v = new Object[r.length() + 1];
            v[0] = t._2();
            for (int i = 0; i < r.length(); i++) {
                v[i + 1] = r.get(i);
            }
            return RowFactory.create(v);
        });
        return spark.createDataFrame(rows, DataTypes.createStructType(fields));
    }

    /** Executors taking tasks: in local mode the driver's JVM itself. */
    static int executors(SparkSession spark) {
        int infos = spark.sparkContext().statusTracker().getExecutorInfos().length;
        return spark.sparkContext().isLocal() ? 1 : Math.max(infos - 1, 0);
    }
}
