package dev.sentemb.testing;

import dev.sentemb.load.ModelRegistry;
import dev.sentemb.load.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find real models: the sentemb model cache, filled on first use exactly as a user's
 * would be. Real-model tests are never skipped: a model that cannot be fetched fails the test.
 */
public final class TestModels {
    private TestModels() {}

    public static Path require(String name) {
        var m = ModelRegistry.find(name).orElseThrow(() -> new IllegalArgumentException("unknown model " + name));
        return ModelStore.standard().ensure(m, null);
    }

    /** The shared data folder beside the repository (../shared), as CI lays it out. */
    public static Path shared() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path sib = p.resolveSibling("shared");
            if (Files.isDirectory(sib.resolve("data")) && Files.isRegularFile(sib.resolve("DESIGN.md"))) {
                return sib;
            }
        }
        throw new IllegalStateException("cannot find ../shared (with DESIGN.md and data/) beside any folder above " + here);
    }
}
