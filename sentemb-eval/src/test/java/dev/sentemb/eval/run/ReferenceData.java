package dev.sentemb.eval.run;

import java.nio.file.Path;

/** Where the tests find SentEval's data: $SENTEMB_DATA, else ../shared/data/senteval beside the repository. */
public final class ReferenceData {
    private ReferenceData() {}

    public static Path dir() {
        String env = System.getenv("SENTEMB_DATA");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.dir")).resolve("../../shared/data/senteval").normalize();
    }
}
