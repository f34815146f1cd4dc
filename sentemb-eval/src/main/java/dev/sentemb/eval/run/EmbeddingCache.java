package dev.sentemb.eval.run;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sentemb.load.ModelSpec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The finished embeddings of one (model, template, pooling), appended chunk by chunk in the
 * {@code embed} JSONL format so an interrupted evaluation resumes where it stopped. A line torn by
 * the interruption is dropped on reading. Each line also records the seconds spent embedding it, so
 * a resumed run can report what its results cost in all, not only its own part.
 */
public final class EmbeddingCache {
    private static final JsonFactory JSON = new JsonFactory();
    private final Path file;

    public EmbeddingCache(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /**
     * The cache of one model file opened from {@code spec}, prompt form (the template around {@code *sent_0*})
     * and read-out ({@code pooling}, plus the layer when it is not the final one), under {@code dir}: named
     * after the model file and a hash of what would change the vectors, including what the spec puts on top
     * of the file: the adapter (by its files' bytes, so a retrained adapter in the same directory gets a new
     * cache; merged or applied on the fly) and quantization on load. A spec with neither has the key a plain
     * model always had, so existing caches stay valid.
     */
    public static Path fileFor(Path dir, Path modelFile, ModelSpec spec, String prompt, String readout) {
        String weights = WeightsIdentity.of(spec);
        try {
            long size = Files.size(modelFile); // a directory's own size for a Hugging Face model, as before
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update((modelFile.toAbsolutePath() + "\n" + size + "\n" + prompt + "\n" + readout + weights)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String key = java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
            return dir.resolve(modelFile.getFileName() + "-" + key + ".jsonl");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + modelFile, e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What earlier runs finished (empty when there is no cache yet). */
    public Contents load() {
        Contents c = new Contents();
        if (Files.isRegularFile(file)) {
            EmbeddingFile.forEach(file, true, e -> {
                c.vectors.put(e.text(), e.vector());
                if (e.seconds() != null) {
                    c.seconds.put(e.text(), e.seconds());
                } else {
                    c.seconds.remove(e.text());
                }
            });
        }
        return c;
    }

    /** Embeddings finished by earlier runs; counts those this run takes instead of embedding them again. */
    public static final class Contents {
        private final Map<String, float[]> vectors = new HashMap<>();
        private final Map<String, Double> seconds = new HashMap<>();
        private final ResumedWork.Tally taken = new ResumedWork.Tally();

        /** Nothing finished before (a run without a cache). */
        public static Contents none() {
            return new Contents();
        }

        public int size() {
            return vectors.size();
        }

        /** Whether an earlier run embedded {@code text} (nothing is counted as taken). */
        public boolean has(String text) {
            return vectors.containsKey(text);
        }

        /** The earlier embedding of {@code text}, or null; a hit adds its recorded time to {@link #resumed()}. */
        public float[] take(String text) {
            float[] v = vectors.get(text);
            if (v != null) {
                taken.took(seconds.getOrDefault(text, Double.NaN));
            }
            return v;
        }

        /** What this run took from earlier runs; null when it took nothing. */
        public ResumedWork resumed() {
            return taken.total();
        }
    }

    private boolean endsTorn() throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            return false;
        }
        try (var ch = Files.newByteChannel(file)) {
            ch.position(ch.size() - 1);
            var b = java.nio.ByteBuffer.allocate(1);
            ch.read(b);
            return b.get(0) != '\n';
        }
    }

    /** Appends a finished chunk that took {@code seconds} to embed, and flushes it to disk. */
    public void append(Map<String, float[]> chunk, double seconds) {
        double each = chunk.isEmpty() ? 0 : seconds / chunk.size();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            boolean torn = endsTorn();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16);
                 JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                g.setRootValueSeparator(null);
                if (torn) {
                    g.writeRaw('\n'); // end the line an interrupted run left half-written, so it is skipped alone
                }
                for (Map.Entry<String, float[]> e : chunk.entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("text", e.getKey());
                    g.writeArrayFieldStart("embedding");
                    for (float f : e.getValue()) {
                        g.writeNumber(f);
                    }
                    g.writeEndArray();
                    g.writeNumberField("seconds", each);
                    g.writeEndObject();
                    g.writeRaw('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the embedding cache " + file, e);
        }
    }
}
