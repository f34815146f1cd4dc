package dev.sentemb.eval.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonFactory;
import dev.sentemb.eval.DataFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads embeddings in the {@code embed} JSONL format, {@code {"text": ..., "embedding": [...]}} a line,
 * keyed by text. Strict mode (a user's file) rejects any bad line naming file and line; lenient mode
 * (the resume cache) drops a torn last line, which an interrupted run leaves behind. The resume cache
 * adds {@code "seconds"}, the time spent embedding that line; other readers ignore it.
 */
public final class EmbeddingFile {
    private static final JsonFactory JSON = new JsonFactory();

    private EmbeddingFile() {}

    /** A user's file, strictly: any bad line fails naming file and line. */
    public static Map<String, float[]> read(Path file) {
        Map<String, float[]> out = new HashMap<>();
        forEach(file, false, e -> out.put(e.text(), e.vector()));
        return out;
    }

    /** Every good line in order (a later line for the same text wins where the caller keys by text). */
    static void forEach(Path file, boolean lenient, Consumer<Entry> sink) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, 0, "embeddings file not found");
        }
        int dim = -1;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Entry e = parse(line);
                    if (dim >= 0 && e.vector.length != dim) {
                        throw new IllegalArgumentException("embedding has " + e.vector.length + " values, earlier lines have " + dim);
                    }
                    dim = e.vector.length;
                    sink.accept(e);
                } catch (IOException | IllegalArgumentException ex) {
                    if (!lenient) {
                        throw new DataFormatException(file, no, ex.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new DataFormatException(file, 0, "cannot read as UTF-8: " + e.getMessage());
        }
    }

    /** One line; {@code seconds} is null where the line does not record it. */
    record Entry(String text, float[] vector, Double seconds) {}

    private static Entry parse(String line) throws IOException {
        String text = null;
        float[] v = null;
        Double seconds = null;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("text") && t == JsonToken.VALUE_STRING) {
                    text = p.getText();
                } else if (name.equals("embedding") && t == JsonToken.START_ARRAY) {
                    float[] buf = new float[256];
                    int n = 0;
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                            throw new IllegalArgumentException("embedding values must be numbers");
                        }
                        if (n == buf.length) {
                            buf = java.util.Arrays.copyOf(buf, 2 * n);
                        }
                        buf[n++] = p.getFloatValue();
                    }
                    v = java.util.Arrays.copyOf(buf, n);
                } else if (name.equals("seconds") && t.isNumeric()) {
                    seconds = p.getDoubleValue();
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("malformed JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
        }
        if (text == null || v == null) {
            throw new IllegalArgumentException("expected fields \"text\" (string) and \"embedding\" (array of numbers)");
        }
        if (v.length == 0) {
            throw new IllegalArgumentException("empty embedding");
        }
        return new Entry(text, v, seconds);
    }
}
