package dev.sentemb.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed oracle fixtures of tools/oracle (resources {@code oracle/<model>/}): sentences, their
 * prompts and token ids, and reference hidden states from HF transformers and llama.cpp.
 */
public final class OracleFixture {
    /** One fixture line: the sentence, the rendered prompt and the reference's token ids. */
    public record Item(String text, String prompt, int[] ids) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private OracleFixture() {}

    public static List<Item> items(String model, String file) throws IOException {
        List<Item> out = new ArrayList<>();
        try (InputStream in = open(model, file);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                JsonNode idsNode = n.get("ids");
                int[] ids = new int[idsNode.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = idsNode.get(i).asInt();
                }
                out.add(new Item(n.path("text").asText(), n.path("prompt").asText(null), ids));
            }
        }
        return out;
    }

    /** Every line of a JSONL fixture as a tree (for fixtures whose lines hold more than one prompt). */
    public static List<JsonNode> rows(String model, String file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = open(model, file);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }

    public static float[][] matrix(String model, String file) throws IOException {
        try (InputStream in = open(model, file)) {
            return Npy.readMatrix(in);
        }
    }

    private static InputStream open(String model, String file) throws IOException {
        String res = "/oracle/" + model + "/" + file;
        InputStream in = OracleFixture.class.getResourceAsStream(res);
        if (in == null) {
            throw new IOException("missing test fixture " + res + " (made by tools/oracle)");
        }
        return in;
    }
}
