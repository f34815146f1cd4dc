package dev.sentemb.spark;

/** What {@code spark-embed} writes: a directory of part files, committed by Spark's output committer. */
public enum OutputFormat {
    /** Parquet (the default): {@code embedding} as {@code array<float>}. */
    PARQUET("parquet"),
    /** One JSON object per line, every column present (null where absent). */
    JSONL("json");

    final String sparkFormat;

    OutputFormat(String sparkFormat) {
        this.sparkFormat = sparkFormat;
    }
}
