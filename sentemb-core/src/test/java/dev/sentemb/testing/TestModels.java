package dev.sentemb.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find real models: the sentemb model cache ($SENTEMB_HOME, default ~/.cache/sentemb).
 * Real-model tests are never skipped: a missing model is a failure with instructions.
 */
public final class TestModels {
    private TestModels() {}

    public static Path require(String name) {
        String home = System.getenv("SENTEMB_HOME");
        Path root = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".cache", "sentemb");
        Path p = root.resolve("models").resolve(name + ".gguf");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("model " + name + " is not in the cache at " + p + "; run bin/sentemb fetch " + name);
        }
        return p;
    }

    /** The shared data folder beside the repository (../shared), as CI lays it out. */
    public static Path shared() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path cand = p.resolve("shared");
            if (Files.isDirectory(cand.resolve("data")) && Files.isRegularFile(cand.resolve("DESIGN.md"))) {
                return cand;
            }
            Path sib = p.getParent() == null ? null : p.getParent().resolve("shared");
            if (sib != null && Files.isDirectory(sib.resolve("data")) && Files.isRegularFile(sib.resolve("DESIGN.md"))) {
                return sib;
            }
        }
        throw new IllegalStateException("cannot find ../shared (with DESIGN.md and data/) above " + here);
    }
}
