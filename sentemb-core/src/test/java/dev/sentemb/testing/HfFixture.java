package dev.sentemb.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny Hugging Face checkpoint under {@code src/test/resources/hf/<name>/} and what transformers
 * computed on it (tools/oracle/hf_fixtures.py): prompts with their ids, every token's final hidden
 * state (prompts concatenated) and the last-token embeddings.
 */
public record HfFixture(Path dir, List<String> texts, List<String> prompts, List<int[]> ids, float[][] hidden, float[][] last) {

    public static Path dir(String name) {
        try {
            return Path.of(HfFixture.class.getResource("/hf/" + name + "/prompts.jsonl").toURI()).getParent();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture hf/" + name + " (tools/oracle/hf_fixtures.py)", e);
        }
    }

    public static HfFixture load(String name) {
        Path d = dir(name);
        try {
            List<String> texts = new ArrayList<>();
            List<String> prompts = new ArrayList<>();
            List<int[]> ids = new ArrayList<>();
            ObjectMapper om = new ObjectMapper();
            for (String line : Files.readAllLines(d.resolve("prompts.jsonl"))) {
                JsonNode n = om.readTree(line);
                texts.add(n.get("text").asText());
                prompts.add(n.get("prompt").asText());
                int[] a = new int[n.get("ids").size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = n.get("ids").get(i).asInt();
                }
                ids.add(a);
            }
            return new HfFixture(d, texts, prompts, ids, npy(d.resolve("hidden.npy")), npy(d.resolve("last.npy")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[][] npy(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return Npy.readMatrix(in);
        }
    }

    public static double maxAbs(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("widths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    public static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
