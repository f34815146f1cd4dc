package dev.sentemb.weights;

import dev.sentemb.SentembException;
import java.nio.file.Path;

/**
 * A Hugging Face checkpoint file (safetensors, PyTorch zip/pickle) that cannot be used as it is:
 * truncated, malformed, or asking for something the reader refuses. Names the file and, where one
 * applies, the byte offset of the problem.
 */
public class CheckpointFormatException extends SentembException {
    private final Path path;
    private final long offset;

    /** @param offset byte offset of the problem, or -1 when no single offset applies */
    public CheckpointFormatException(Path path, long offset, String problem) {
        super(offset >= 0 ? path + ": at byte " + offset + ": " + problem : path + ": " + problem);
        this.path = path;
        this.offset = offset;
    }

    public Path path() {
        return path;
    }

    public long offset() {
        return offset;
    }
}
