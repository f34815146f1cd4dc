package dev.sentemb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken model file is one or two lines on stderr and exit code 1; the stack trace only with --debug. */
class ErrorsCliTest {
    @TempDir
    Path dir;

    @Test
    void aBrokenModelIsOneLineAndTheStackTraceOnlyWithDebug() throws Exception {
        Path model = dir.resolve("broken.gguf");
        Files.write(model, new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1});
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "A man.\n");
        CliRun r = CliRun.of("embed", "--model", model.toString(), "--input", in.toString());
        assertEquals(ExitCodes.FAILED, r.code());
        assertTrue(r.err().startsWith("sentemb: ") && r.err().contains("broken.gguf"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(r.err().strip().lines().count() <= 2, r.err());
        CliRun d = CliRun.of("embed", "--model", model.toString(), "--input", in.toString(), "--debug");
        assertEquals(ExitCodes.FAILED, d.code());
        assertTrue(d.err().contains("\tat dev.sentemb."), "a stack trace with --debug: " + d.err());
    }

    @Test
    void serveRefusesABadPackedWeightBudgetBeforeLoadingAnything() {
        CliRun r = CliRun.of("serve", "--packed-weights", "lots", "--port", "0");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--packed-weights") && r.err().contains("a number of megabytes (0 or more) or auto, not 'lots'"), r.err());
    }
}
