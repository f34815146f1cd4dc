package dev.sentemb.prompt;

import dev.sentemb.SentembException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of templates, one a line, as the reference's multi-template evaluation reads its {@code --template_file}
 * (and the demonstration search its candidates): blank lines and lines starting with {@code #} are skipped, each
 * line's surrounding whitespace dropped.
 */
public final class TemplateFile {
    private TemplateFile() {}

    /** Larger than any list of templates (the 300 demonstrations are 44 KB): a bigger file is a wrong path, not read into memory. */
    static final long MAX_BYTES = 16 << 20;

    /** A template as written and the line (1-based) it is on. */
    public record Line(int number, String text) {}

    /** The file's template lines, in order; an error naming the file when it is missing, unreadable or not UTF-8. */
    public static List<Line> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SentembException(file + ": template file not found");
        }
        List<String> lines;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new SentembException(file + ": " + size + " bytes, more than a template file's limit of " + MAX_BYTES + " bytes");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new SentembException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new SentembException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(new Line(i + 1, t));
            }
        }
        return out;
    }

    /**
     * The file's templates, each in any form {@link Templates#resolve} takes (eol, pretcot, ke, icl:NAME, or the
     * underscore form with {@code *sent_0*}); a line that is none of these is an error naming the file and the line.
     */
    public static List<PromptTemplate> resolve(Path file) {
        List<PromptTemplate> out = new ArrayList<>();
        for (Line l : read(file)) {
            try {
                out.add(Templates.resolve(l.text()));
            } catch (SentembException e) {
                throw new SentembException(file + ":" + l.number() + ": " + e.getMessage());
            }
        }
        return out;
    }
}
