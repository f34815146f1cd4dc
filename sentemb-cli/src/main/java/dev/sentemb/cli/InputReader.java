package dev.sentemb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one sentence a line (UTF-8 text, or JSONL objects with a {@code text} field). A line that is
 * not valid UTF-8 or not a JSON object with a string {@code text} becomes an {@link InputLine} with an
 * error naming the line, so the caller can skip it and go on.
 */
final class InputReader implements Closeable {
    enum Format { TEXT, JSONL }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InputStream in;
    private final boolean closeIn;
    private final Format format;
    private final String name;
    private long lineNo;
    private boolean eof;

    InputReader(InputStream in, Format format, String name) {
        this.closeIn = in != System.in;
        this.in = new BufferedInputStream(in, 1 << 16);
        this.format = format;
        this.name = name;
    }

    /** {@code -} is standard input; {@code auto} picks JSONL for {@code .jsonl}/{@code .ndjson} files. */
    static InputReader open(String input, String format) throws IOException {
        Format f = switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> Format.TEXT;
            case "jsonl" -> Format.JSONL;
            case "auto" -> input.endsWith(".jsonl") || input.endsWith(".ndjson") ? Format.JSONL : Format.TEXT;
            default -> throw new IllegalArgumentException("unknown input format '" + format + "'; use auto, text or jsonl");
        };
        if (input.equals("-")) {
            return new InputReader(System.in, f, "<stdin>");
        }
        Path p = Path.of(input);
        if (!Files.isRegularFile(p)) {
            throw new IOException("input file not found: " + p.toAbsolutePath());
        }
        return new InputReader(Files.newInputStream(p), f, p.toString());
    }

    String name() {
        return name;
    }

    /** Up to {@code max} next lines; empty at the end of the input. */
    List<InputLine> next(int max) throws IOException {
        List<InputLine> out = new ArrayList<>();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        while (out.size() < max && !eof) {
            buf.reset();
            int b;
            boolean any = false;
            while ((b = in.read()) >= 0 && b != '\n') {
                buf.write(b);
                any = true;
            }
            if (b < 0) {
                eof = true;
                if (!any) {
                    break; // no line after the final newline
                }
            }
            lineNo++;
            byte[] bytes = buf.toByteArray();
            int len = bytes.length;
            if (len > 0 && bytes[len - 1] == '\r') {
                len--; // CRLF files
            }
            out.add(parse(bytes, len));
        }
        return out;
    }

    private InputLine parse(byte[] bytes, int len) {
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, len)).toString();
        } catch (CharacterCodingException e) {
            return new InputLine(lineNo, null, name + ":" + lineNo + ": not valid UTF-8");
        }
        if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
            line = line.substring(1); // a byte-order mark is not part of the sentence
        }
        if (format == Format.TEXT) {
            return new InputLine(lineNo, line, null);
        }
        if (line.isBlank()) {
            return new InputLine(lineNo, null, name + ":" + lineNo + ": empty line where a JSON object was expected");
        }
        try {
            JsonNode node = JSON.readTree(line);
            JsonNode text = node == null ? null : node.get("text");
            if (node == null || !node.isObject()) {
                return new InputLine(lineNo, null, name + ":" + lineNo + ": expected a JSON object with a \"text\" field");
            }
            if (text == null || !text.isTextual()) {
                return new InputLine(lineNo, null, name + ":" + lineNo + ": the JSON object has no string field \"text\"");
            }
            return new InputLine(lineNo, text.asText(), null);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            return new InputLine(lineNo, null, name + ":" + lineNo + ": not valid JSON (" + msg + ")");
        }
    }

    @Override
    public void close() throws IOException {
        if (closeIn) {
            in.close();
        }
    }
}
