package dev.sentemb.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** One {@code {"line": N, "text": ..., "embedding": [...]}} a line ({@code line}: the 1-based input line). */
final class JsonlEmbeddingWriter implements EmbeddingWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private final Path target;
    private final Path tmp;
    private final OutputStream out;
    private final JsonGenerator gen;

    /** @param target null for standard output */
    JsonlEmbeddingWriter(Path target, boolean mkdirs) throws IOException {
        this.target = target;
        this.tmp = target == null ? null : OutputFiles.temporaryFor(target, mkdirs);
        this.out = target == null ? new BufferedOutputStream(System.out, 1 << 16) : new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
        this.gen = JSON.createGenerator(out, JsonEncoding.UTF8);
        gen.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        gen.setRootValueSeparator(null);
    }

    @Override
    public void write(long line, String text, float[] embedding) throws IOException {
        gen.writeStartObject();
        gen.writeNumberField("line", line);
        gen.writeStringField("text", text);
        gen.writeFieldName("embedding");
        gen.writeStartArray();
        for (float f : embedding) {
            gen.writeNumber(f); // Jackson has no float[] writeArray; writeNumber(float) keeps float's shortest form
        }
        gen.writeEndArray();
        gen.writeEndObject();
        gen.flush();
        out.write('\n');
    }

    @Override
    public void commit() throws IOException {
        gen.flush();
        out.flush();
        if (target != null) {
            out.close();
            OutputFiles.moveIntoPlace(tmp, target);
        }
    }

    @Override
    public void close() throws IOException {
        gen.close();
        if (target != null) {
            out.close();
            Files.deleteIfExists(tmp);
        } else {
            out.flush();
        }
    }
}
