package dev.sentemb.eval.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sentemb.eval.DataFormatException;
import dev.sentemb.eval.run.ResumedWork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored winner of a demonstration search, {@code <home>/demos/<model>.json}, which
 * {@code --template icl:best} resolves to for that model.
 */
public final class DemoStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DemoStore() {}

    public static Path fileFor(Path home, String model) {
        String safe = Path.of(model).getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return home.resolve("demos").resolve(safe + ".json");
    }

    /**
     * Stores the winner; {@code wallSeconds} is the search's whole cost, including what earlier runs spent on
     * the scores this one resumed ({@code resumed}, null when none).
     */
    public static void save(Path home, String model, List<DemoSearch.Ranked> ranking, double wallSeconds, ResumedWork resumed) throws IOException {
        Path f = fileFor(home, model);
        Files.createDirectories(f.getParent());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", model);
        o.put("template", ranking.get(0).template());
        o.put("stsb_dev_spearman", ranking.get(0).spearman());
        o.put("wall_seconds", wallSeconds);
        if (resumed != null) {
            o.put("resumed", resumed);
        }
        o.put("ranking", ranking.subList(0, Math.min(20, ranking.size())));
        Path tmp = Files.createTempFile(f.getParent(), ".demo", ".tmp");
        JSON.writeValue(tmp.toFile(), o);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The stored winning template for the model, if a search has finished for it. */
    public static Optional<String> best(Path home, String model) {
        Path f = fileFor(home, model);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(f.toFile()).get("template").asText());
        } catch (IOException | NullPointerException e) {
            throw new DataFormatException(f, 0, "not a demonstration-search result: " + e.getMessage());
        }
    }
}
