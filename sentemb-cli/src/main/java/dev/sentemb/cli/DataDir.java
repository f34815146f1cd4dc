package dev.sentemb.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** SentEval's data folder: --data, else $SENTEMB_DATA, else ../shared/data/senteval beside the repository. */
final class DataDir {
    private DataDir() {}

    static Path resolve(Path option) {
        if (option != null) {
            return option;
        }
        String env = System.getenv("SENTEMB_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String root = System.getProperty("sentemb.root");
        Path base = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        Path p = base.resolveSibling("shared").resolve("data").resolve("senteval");
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("no SentEval data at " + p + "; pass --data DIR or set SENTEMB_DATA");
        }
        return p;
    }
}
