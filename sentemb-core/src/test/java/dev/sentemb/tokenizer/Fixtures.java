package dev.sentemb.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.testing.TestModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/** Reads the oracle fixtures written by tools/oracle/tokenizer_fixtures.py, and loads real models' tokenizers once. */
final class Fixtures {
    private Fixtures() {}

    /** One line of a fixture: ids from encode(text), idsPlain from encode(text, add_special_tokens=False). */
    record Case(String kind, String text, int[] ids, int[] idsPlain, String decoded) {}

    private static final Map<String, Tokenizer> MODELS = new ConcurrentHashMap<>();

    static Tokenizer model(String name) {
        return MODELS.computeIfAbsent(name, n -> Tokenizers.fromGguf(TestModels.require(n)));
    }

    static List<Case> read(String name) {
        String resource = "/tokenizer/" + name + ".jsonl.gz";
        ObjectMapper json = new ObjectMapper();
        List<Case> out = new ArrayList<>();
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource + "; run tools/oracle/tokenizer_fixtures.py");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode n = json.readTree(line);
                int[] ids = ints(n.get("ids"));
                out.add(new Case(n.get("kind").asText(), n.get("text").asText(), ids,
                        n.has("ids_plain") ? ints(n.get("ids_plain")) : ids,
                        n.has("decoded") ? n.get("decoded").asText() : null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
