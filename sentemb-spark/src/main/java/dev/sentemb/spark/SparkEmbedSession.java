package dev.sentemb.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The session {@code spark-embed} runs in: started for the job (or the application's own, borrowed), then the job. */
final class SparkEmbedSession {
    private SparkEmbedSession() {}

    static int run(SparkEmbedJob.Config config, String master, Map<String, String> conf, PrintStream out, long progressMillis) {
        long start = System.nanoTime();
        SparkSession.Builder b = SparkSession.builder().appName("sentemb spark-embed").master(master);
        SparkJars.forCluster(master).ifPresent(jar -> b.config("spark.jars", jar));
        conf.forEach(b::config);
        boolean borrowed = SparkSession.getDefaultSession().isDefined(); // an application's session: used, not stopped
        SparkSession spark = b.getOrCreate();
        try {
            spark.sparkContext().setLogLevel(System.getProperty("sentemb.spark.log", "WARN"));
            out.printf("spark-embed: Spark %s on %s (%d-way default parallelism), up in %.1f s; model %s%n", spark.version(),
                    spark.sparkContext().master(), spark.sparkContext().defaultParallelism(), (System.nanoTime() - start) / 1e9,
                    config.spec().model());
            if (spark.sparkContext().isLocal()) {
                // The driver is the executor: load the model here first, so a bad model is one clear error before any
                // task runs (the tasks then find it loaded).
                long t = System.nanoTime();
                ExecutorModels.get(config.spec(), config.options());
                out.printf("spark-embed: model loaded in %.1f s%n", (System.nanoTime() - t) / 1e9);
            }
            SparkEmbedJob.Summary s = SparkEmbedJob.run(spark, config, out, progressMillis);
            out.println("spark-embed: " + s);
            out.println("spark-embed: wrote " + config.output() + " (" + config.outputFormat().name().toLowerCase(Locale.ROOT) + ")");
            if (s.rowsOut() != s.rowsIn()) {
                out.println("spark-embed: the output has " + s.rowsOut() + " rows for " + s.rowsIn() + " input rows");
                return 1;
            }
            return 0;
        } finally {
            if (!borrowed) {
                spark.stop();
            }
        }
    }
}
