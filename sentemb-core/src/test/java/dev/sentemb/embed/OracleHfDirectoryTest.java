package dev.sentemb.embed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.testing.HfFixture;
import dev.sentemb.testing.Npy;
import dev.sentemb.testing.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The directories transformers itself saved from smollm2-135m's, gemma3-270m's and qwen2.5-coder-0.5b's
 * GGUF (tools/oracle/hf_real_dirs.py, 0.5 to 2 GB, kept outside the repository under ~/.cache/sentemb-oracle/hf/): sentemb on it, with its
 * tokenizer.json, matches transformers on the same directory and sentemb on the GGUF file. Runs where
 * the oracle has been run; {@link dev.sentemb.model.GgufAsHfDirectoryTest} covers real weights in CI.
 */
class OracleHfDirectoryTest {
    private static final Path ROOT = Path.of(System.getProperty("user.home"), ".cache", "sentemb-oracle", "hf");

    @ParameterizedTest
    @ValueSource(strings = {"smollm2-135m", "gemma3-270m", "qwen2.5-coder-0.5b"})
    void directorySavedByTransformers(String model) throws IOException {
        Path DIR = ROOT.resolve(model);
        Assumptions.assumeTrue(Files.isRegularFile(DIR.resolve("hf.last.npy")),
                "no transformers-saved directory at " + DIR + "; run tools/oracle/hf_real_dirs.py to check it by hand");
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("hf.prompts.jsonl"))) {
            texts.add(new ObjectMapper().readTree(line).get("text").asText());
        }
        float[][] hf;
        try (InputStream in = Files.newInputStream(DIR.resolve("hf.last.npy"))) {
            hf = Npy.readMatrix(in);
        }
        float[][] fromDir;
        try (Encoder enc = Encoder.builder(DIR.toString()).threads(2).build()) {
            fromDir = enc.embed(texts);
        }
        float[][] fromGguf;
        try (Encoder enc = Encoder.builder(TestModels.require(model).toString()).threads(2).build()) {
            fromGguf = enc.embed(texts);
        }
        double worstHf = 1;
        double worstGguf = 1;
        for (int i = 0; i < texts.size(); i++) {
            worstHf = Math.min(worstHf, HfFixture.cosine(fromDir[i], hf[i]));
            worstGguf = Math.min(worstGguf, HfFixture.cosine(fromDir[i], fromGguf[i]));
        }
        System.out.printf(model + " HF directory: min cos vs transformers %.7f, vs GGUF %.7f over %d sentences%n",
                worstHf, worstGguf, texts.size());
        assertTrue(worstHf >= 0.9999, "vs transformers on the directory: " + worstHf);
        assertTrue(worstGguf >= 0.9999, "vs the GGUF file: " + worstGguf);
    }
}
