package dev.sentemb.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.testing.Npy;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a new user meets around the files the CLI writes: modes, missing directories, rows mapped back to
 * input lines, --help everywhere, progress without a terminal. On the tiny llama fixture of sentemb-core.
 */
class OutputFilesCliTest {
    private static final Path HF = Path.of("..", "sentemb-core", "src", "test", "resources", "hf").toAbsolutePath().normalize();
    private static final String MODEL = HF.resolve("llama").toString();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;


    /** Three lines, the second not UTF-8 (skipped). */
    private Path inputWithABadLine() throws Exception {
        Path in = dir.resolve("in.txt");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("A man is playing a guitar.\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[] {'b', (byte) 0xff, '\n'});
        b.writeBytes("A woman slices an onion.\n".getBytes(StandardCharsets.UTF_8));
        Files.write(in, b.toByteArray());
        return in;
    }

    @Test
    void everyCommandAnswersHelp() {
        CommandLine cl = new CommandLine(new Main());
        assertTrue(cl.getSubcommands().size() >= 13);
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            assertTrue(e.getValue().getCommandSpec().optionsMap().containsKey("--help"), e.getKey() + " has no --help");
            CliRun r = CliRun.of(e.getKey(), "--help");
            assertEquals(0, r.code(), e.getKey() + " --help: " + r.err());
            assertTrue(r.out().contains("Usage: sentemb " + e.getKey()), r.out());
        }
    }

    @Test
    void aMissingOutputDirectoryIsAnErrorNamingItUnlessMkdirs() throws Exception {
        Path in = inputWithABadLine();
        Path out = dir.resolve("no-such-dir").resolve("out.jsonl");
        CliRun r = CliRun.of("embed", "--model", MODEL, "--input", in.toString(), "--output", out.toString());
        assertEquals(ExitCodes.FAILED, r.code());
        assertTrue(r.err().contains("directory " + out.getParent() + " does not exist") && r.err().contains("--mkdirs"), r.err());
        assertFalse(Files.exists(out.getParent()));
        CliRun e = CliRun.of("eval", "--model", MODEL, "--tasks", "STSBenchmark", "--output", out.toString());
        assertEquals(ExitCodes.FAILED, e.code());
        assertTrue(e.err().contains("does not exist"), e.err());
        CliRun ok = CliRun.of("embed", "--model", MODEL, "--input", in.toString(), "--output", out.toString(), "--mkdirs");
        assertEquals(ExitCodes.SKIPPED_LINES, ok.code(), ok.err());
        assertEquals(2, Files.readAllLines(out).size());
    }

    @Test
    void outputsTakeTheUmasksModeAndAnOverwrittenFileKeepsItsOwn() throws Exception {
        if (Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class) == null) {
            return; // no POSIX modes on this file system
        }
        Path in = inputWithABadLine();
        Path probe = Files.createFile(dir.resolve("probe")); // what any new file gets here: 0666 less the umask
        String expected = PosixFilePermissions.toString(Files.getPosixFilePermissions(probe));
        Path out = dir.resolve("out.jsonl");
        Path npy = dir.resolve("v.npy");
        assertEquals(ExitCodes.SKIPPED_LINES, CliRun.of("embed", "--model", MODEL, "--input", in.toString(), "--output", out.toString()).code());
        assertEquals(ExitCodes.SKIPPED_LINES, CliRun.of("embed", "--model", MODEL, "--input", in.toString(), "--output", npy.toString()).code());
        assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(npy)));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(ExitCodes.SKIPPED_LINES, CliRun.of("embed", "--model", MODEL, "--input", in.toString(), "--output", out.toString()).code());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    @Test
    void everyRowMapsBackToItsInputLine() throws Exception {
        Path in = inputWithABadLine();
        Path out = dir.resolve("out.jsonl");
        CliRun.of("embed", "--model", MODEL, "--input", in.toString(), "--output", out.toString());
        List<String> rows = Files.readAllLines(out);
        JsonNode first = JSON.readTree(rows.get(0)), second = JSON.readTree(rows.get(1));
        assertEquals(1, first.get("line").asLong());
        assertEquals(3, second.get("line").asLong());
        assertEquals("A woman slices an onion.", second.get("text").asText());

        Path npy = dir.resolve("v.npy");
        CliRun.of("embed", "--model", MODEL, "--input", in.toString(), "--output", npy.toString());
        float[][] m = Npy.readMatrix(Files.newInputStream(npy));
        assertEquals(2, m.length);
        float[] v = new float[second.get("embedding").size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) second.get("embedding").get(k).asDouble();
        }
        assertArrayEquals(v, m[1], 0f);
        byte[] lines = Files.readAllBytes(dir.resolve("v.lines.npy"));
        String header = new String(lines, 10, ByteBuffer.wrap(lines, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort(), StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<i8'") && header.contains("'shape': (2,)"), header);
        ByteBuffer body = ByteBuffer.wrap(lines, 10 + header.length(), 16).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, body.getLong());
        assertEquals(3, body.getLong());
        assertEquals(0, (10 + header.length()) % 64, "npy headers are padded to 64 bytes");
    }

    @Test
    void progressWithoutATerminalIsAPlainLine() throws Exception {
        Path in = inputWithABadLine();
        String old = System.getProperty("sentemb.progress.seconds");
        System.setProperty("sentemb.progress.seconds", "0");
        try {
            CliRun r = CliRun.of("embed", "--model", MODEL, "--input", in.toString(), "--output", dir.resolve("o.jsonl").toString());
            assertTrue(r.err().lines().anyMatch(l -> l.matches("sentemb: embed: \\d+/3 lines \\(\\d+%\\), [0-9.]+ lines/s.*")), r.err());
        } finally {
            if (old == null) {
                System.clearProperty("sentemb.progress.seconds");
            } else {
                System.setProperty("sentemb.progress.seconds", old);
            }
        }
    }

    @Test
    void maxTokensSkipsALongSentenceAndTruncateCutsIt() throws Exception {
        Path in = dir.resolve("long.txt");
        Files.writeString(in, "A man is playing a guitar.\n" + "A man is playing a guitar. ".repeat(20) + "\n");
        Path out = dir.resolve("o.jsonl");
        CliRun skipped = CliRun.of("embed", "--model", MODEL, "--input", in.toString(), "--output", out.toString(), "--max-tokens", "40");
        assertEquals(ExitCodes.SKIPPED_LINES, skipped.code(), skipped.err());
        assertTrue(skipped.err().contains("long.txt:2") && skipped.err().contains("more than the limit of 40"), skipped.err());
        assertEquals(1, Files.readAllLines(out).size());
        CliRun cut = CliRun.of("embed", "--model", MODEL, "--input", in.toString(), "--output", out.toString(), "--max-tokens", "40", "--truncate");
        assertEquals(0, cut.code(), cut.err());
        List<String> rows = Files.readAllLines(out);
        assertEquals(2, rows.size());
        String text = JSON.readTree(rows.get(1)).get("text").asText();
        assertTrue(text.startsWith("A man is playing"), text);
        CliRun usage = CliRun.of("embed", "--model", MODEL, "--input", in.toString(), "--max-tokens", "0");
        assertEquals(ExitCodes.FAILED, usage.code());
        assertTrue(usage.err().contains("at least 1"), usage.err());
    }

    @Test
    void durationsReadAsAPersonWritesThem() {
        assertEquals("42s", ProgressMeter.Lines.duration(42));
        assertEquals("1m27s", ProgressMeter.Lines.duration(87));
        assertEquals("2h05m", ProgressMeter.Lines.duration(7500));
    }
}
