package dev.sentemb.weights;

import dev.sentemb.SentembException;

import java.nio.file.Path;

/**
 * A GGUF file that cannot be used as it is: unreadable, truncated, malformed, or lacking a value a
 * caller asked for. The message names the file and, where one applies, the byte offset at which
 * the problem was found, so a corrupt download can be told apart from a bug in the reader.
 */
public class GgufFormatException extends SentembException {
    private final Path path;
    private final long offset;

    /**
     * @param offset byte offset in the file where the problem was found, or -1 when no single
     *               offset applies (missing file, missing metadata key)
     */
    public GgufFormatException(Path path, long offset, String problem) {
        super(describe(path, offset, problem));
        this.path = path;
        this.offset = offset;
    }

    public GgufFormatException(Path path, long offset, String problem, Throwable cause) {
        super(describe(path, offset, problem), cause);
        this.path = path;
        this.offset = offset;
    }

    private static String describe(Path path, long offset, String problem) {
        return offset >= 0 ? path + ": at byte " + offset + ": " + problem : path + ": " + problem;
    }

    /** The file concerned. */
    public Path path() {
        return path;
    }

    /** Byte offset where the problem was found, or -1 when none applies. */
    public long offset() {
        return offset;
    }
}
