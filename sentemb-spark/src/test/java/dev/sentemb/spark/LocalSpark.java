package dev.sentemb.spark;

import org.apache.spark.sql.SparkSession;

/** One local[2] session for the tests of this JVM (Spark allows one context per JVM). */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    static synchronized SparkSession get() {
        if (session == null) {
            SparkEmbedMain.quietSparkLogs();
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("sentemb-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.executor.heartbeatInterval", "1s") // running tasks report their progress each second
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
        }
        return session;
    }
}
