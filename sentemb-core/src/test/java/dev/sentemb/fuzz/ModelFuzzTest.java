package dev.sentemb.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelFuzz} in a JVM of its own with a 512 MB heap, as the hostile-files issue asks: several thousand
 * damaged files across GGUF, safetensors, configs, tokenizers, PyTorch zips and PEFT adapters, no finding
 * allowed. {@code -Dsentemb.fuzz.cases=N -Dsentemb.fuzz.seed=S} make it the nightly size
 * ({@code scripts/fuzz-nightly.sh}).
 */
class ModelFuzzTest {
    @TempDir
    Path work;

    @Test
    void thousandsOfDamagedModelFilesGiveTypedErrorsOrWorkingModels() throws Exception {
        String cases = System.getProperty("sentemb.fuzz.cases", "4200");
        String seed = System.getProperty("sentemb.fuzz.seed", "1");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), ModelFuzz.class.getName(),
                "--fixtures", Path.of("src", "test", "resources", "hf").toAbsolutePath().toString(), "--work", work.toString(),
                "--cases", cases, "--seed", seed);
        Path log = work.resolve("fuzz.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long limitMinutes = Math.max(10, Long.parseLong(cases) / 500);
        boolean done = p.waitFor(limitMinutes, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String out = read(log);
        System.out.println(out.lines().filter(l -> !l.startsWith("WARNING")).reduce((a, b) -> a + "\n" + b).orElse(""));
        assertTrue(done, "the fuzz run did not finish in " + limitMinutes + " minutes");
        assertTrue(out.contains("model fuzz: " + cases + " cases"), "no summary line:\n" + tail(out));
        assertTrue(out.contains("heap max 512 MB"), "the run must have the small heap");
        assertTrue(out.contains("  findings: 0"), tail(out));
        assertEquals(0, p.exitValue(), tail(out));
        // every category both breaks and spares files: a mutator that never damages, or always does, is no test
        for (String c : List.of("adapter", "config", "gguf", "safetensors", "tokenizer", "torch")) {
            String line = out.lines().filter(l -> l.startsWith("  " + c + ": ")).findFirst().orElse("");
            assertTrue(line.contains("ok=") && line.contains("typed: names the file="), c + ": " + line);
        }
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
    }
}
