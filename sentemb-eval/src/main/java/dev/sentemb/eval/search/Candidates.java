package dev.sentemb.eval.search;

import dev.sentemb.eval.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The candidate demonstrations of a search: one template a line (the reference's icl_examples.txt form). */
public final class Candidates {
    private Candidates() {}

    /**
     * The templates of {@code file}, blank lines skipped; the first {@code limit} only when not null.
     *
     * @throws DataFormatException naming the file and line of a template without {@code *sent_0*}, or an empty list
     */
    public static List<String> read(Path file, Integer limit) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, 0, "candidate file not found");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.contains("*sent_0*")) {
                throw new DataFormatException(file, i + 1, "a candidate template must contain *sent_0*");
            }
            out.add(t);
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
