package dev.sentemb.spark;

import picocli.CommandLine;

/** {@code spark-submit --class dev.sentemb.spark.SparkEmbedMain sentemb-spark-*-job.jar --input ... --output ...}. */
public final class SparkEmbedMain {
    private SparkEmbedMain() {}

    public static void main(String[] args) {
        quietSparkLogs();
        CommandLine cli = new CommandLine(new SparkEmbedCommand());
        cli.setExecutionExceptionHandler(ERRORS);
        System.exit(cli.execute(args));
    }

    /** A failed job is one line naming the cause (its stack trace with -Dsentemb.debug=true). */
    public static final CommandLine.IExecutionExceptionHandler ERRORS = (e, cmd, parsed) -> {
        cmd.getErr().println("sentemb spark-embed: " + rootMessage(e));
        if (Boolean.getBoolean("sentemb.debug")) {
            e.printStackTrace(cmd.getErr());
        }
        return 1;
    };

    /** Spark wraps a task's exception in its own (job aborted, stage failure): the innermost message says what went wrong. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        String msg = e.getMessage() != null ? e.getMessage() : e.toString();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                msg = t.getMessage();
            }
        }
        return msg;
    }

    /**
     * Spark logs at INFO to stderr unless told otherwise; the job prints its own progress, so its log is kept to
     * warnings unless a log4j2 configuration was chosen (e.g. the cluster's own, or -Dlog4j2.configurationFile).
     */
    public static void quietSparkLogs() {
        if (System.getProperty("log4j2.configurationFile") == null && System.getenv("SPARK_CONF_DIR") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:dev/sentemb/spark/log4j2-warn.properties");
        }
    }
}
