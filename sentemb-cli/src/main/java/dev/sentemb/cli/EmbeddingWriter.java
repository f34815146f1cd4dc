package dev.sentemb.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where embeddings go. Implementations write to a temporary file beside the target and move it
 * into place only on {@link #commit()}, so a failed run leaves no half-written output.
 */
interface EmbeddingWriter extends Closeable {
    void write(String text, float[] embedding) throws IOException;

    /** Finishes the output and moves it into place. */
    void commit() throws IOException;

    /** {@code -} is standard output (JSONL); a name ending in {@code .npy} gets a NumPy array. */
    static EmbeddingWriter open(String output) throws IOException {
        if (output == null || output.equals("-")) {
            return new JsonlEmbeddingWriter(null);
        }
        Path p = Path.of(output);
        return output.endsWith(".npy") ? new NpyEmbeddingWriter(p) : new JsonlEmbeddingWriter(p);
    }
}
