package dev.sentemb.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where embeddings go. Implementations write to a temporary file beside the target and move it
 * into place only on {@link #commit()}, so a failed run leaves no half-written output.
 */
interface EmbeddingWriter extends Closeable {
    /** @param line the 1-based input line the row comes from (rows skip the lines that were skipped) */
    void write(long line, String text, float[] embedding) throws IOException;

    /** Finishes the output and moves it into place. */
    void commit() throws IOException;

    /**
     * {@code -} is standard output (JSONL); a name ending in {@code .npy} gets a NumPy array.
     *
     * @param mkdirs create a missing output directory instead of failing
     */
    static EmbeddingWriter open(String output, boolean mkdirs) throws IOException {
        if (output == null || output.equals("-")) {
            return new JsonlEmbeddingWriter(null, false);
        }
        Path p = Path.of(output);
        return output.endsWith(".npy") ? new NpyEmbeddingWriter(p, mkdirs) : new JsonlEmbeddingWriter(p, mkdirs);
    }
}
