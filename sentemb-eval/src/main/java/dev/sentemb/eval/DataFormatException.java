package dev.sentemb.eval;

import dev.sentemb.SentembException;
import java.nio.file.Path;

/** An evaluation data file is missing or malformed; the message names the file and the line. */
public final class DataFormatException extends SentembException {
    public DataFormatException(Path file, long line, String what) {
        super(file + (line > 0 ? ":" + line : "") + ": " + what);
    }
}
