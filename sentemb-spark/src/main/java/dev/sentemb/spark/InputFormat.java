package dev.sentemb.spark;

import java.util.Locale;

/** The corpus formats {@code spark-embed} reads. */
public enum InputFormat {
    /** One sentence per line (UTF-8). */
    TEXT,
    /** One JSON object per line; the text in a field. */
    JSONL,
    /** CSV with a header row (RFC 4180 quoting: a quote inside a field is doubled; fields may span lines). */
    CSV,
    /** Parquet files, e.g. another job's output. */
    PARQUET;

    /** The format a path's name implies: .jsonl/.json, .csv, .parquet or a directory of them; anything else is text. */
    public static InputFormat guess(String path) {
        String p = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        if (p.endsWith(".jsonl") || p.endsWith(".json") || p.endsWith(".ndjson")) {
            return JSONL;
        }
        if (p.endsWith(".csv")) {
            return CSV;
        }
        if (p.endsWith(".parquet")) {
            return PARQUET;
        }
        return TEXT;
    }
}
