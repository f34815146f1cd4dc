package dev.sentemb.eval.search;

import dev.sentemb.eval.DataFormatException;
import dev.sentemb.prompt.TemplateFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The candidate demonstrations of a search: one template a line (the reference's icl_examples.txt form). */
public final class Candidates {
    private Candidates() {}

    /**
     * The templates of {@code file} ({@link TemplateFile}: blank and {@code #} lines skipped); the first {@code limit} only when not null.
     *
     * @throws DataFormatException naming the file and line of a template without {@code *sent_0*}, or an empty list
     */
    public static List<String> read(Path file, Integer limit) {
        List<String> out = new ArrayList<>();
        for (TemplateFile.Line l : TemplateFile.read(file)) {
            if (!l.text().contains("*sent_0*")) {
                throw new DataFormatException(file, l.number(), "a candidate template must contain *sent_0*");
            }
            out.add(l.text());
        }
        if (limit != null) {
            out = out.subList(0, Math.min(limit, out.size()));
        }
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "no candidate templates");
        }
        return out;
    }
}
