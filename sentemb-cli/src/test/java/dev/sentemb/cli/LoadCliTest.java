package dev.sentemb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.server.EmbeddingServer;
import dev.sentemb.server.ModelEntry;
import dev.sentemb.server.ServeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sentemb load} against a server on loopback (the tiny llama, so the run is quick): 10,000 requests
 * from 64 connections, 5% malformed, every valid vector checked against the library's; then an overload
 * run (a small concurrency limit, 256 connections) that gets 429s and no time-outs, and a normal run after
 * it that succeeds.
 */
class LoadCliTest {
    static final String MODEL = Path.of("..", "sentemb-core", "src", "test", "resources", "hf", "llama").toAbsolutePath().normalize().toString();

    @TempDir
    Path dir;

    @Test
    void tenThousandRequestsThenOverloadAndRecovery() throws Exception {
        Path sentences = dir.resolve("s.txt");
        Files.write(sentences, List.of("A man is playing a guitar.", "A woman slices an onion.", "Someone is making music.",
                "Two dogs run on the beach.", "The cat sleeps.", "A child reads a book under a tree."));
        ServeConfig c = ServeConfig.defaults(List.of(ModelEntry.parse(MODEL))).withPort(0).withCompute(2, 16384).withLimits(512, 1 << 18);
        try (EmbeddingServer server = EmbeddingServer.start(c, l -> {})) {
            Path report = dir.resolve("load.json");
            int code = Main.run("load", "--url", "http://127.0.0.1:" + server.port(), "--requests", "10000", "--concurrency", "64",
                    "--malformed-percent", "5", "--input", sentences.toString(), "--verify-model", MODEL, "--json", report.toString(),
                    "--server-pid", Long.toString(ProcessHandle.current().pid()));
            JsonNode r = new ObjectMapper().readTree(report.toFile());
            assertEquals(0, code, r.toString());
            assertEquals(9500, r.get("statuses").get("200").asInt(), r.toString());
            assertEquals(0, r.get("5xx").asInt());
            assertEquals(0, r.get("connection_errors").asInt());
            assertEquals(0, r.get("vector_mismatches").asInt());
            assertTrue(r.get("server_rss_peak_mb").asDouble() > 0);
        }
        ServeConfig small = ServeConfig.defaults(List.of(ModelEntry.parse(MODEL))).withPort(0).withCompute(2, 16384).withLimits(4, 16);
        try (EmbeddingServer server = EmbeddingServer.start(small, l -> {})) {
            Path report = dir.resolve("overload.json");
            int code = Main.run("load", "--url", "http://127.0.0.1:" + server.port(), "--requests", "3000", "--concurrency", "256",
                    "--malformed-percent", "0", "--input", sentences.toString(), "--expect-overload", "--timeout-seconds", "30",
                    "--json", report.toString());
            JsonNode r = new ObjectMapper().readTree(report.toFile());
            assertEquals(0, code, r.toString());
            assertTrue(r.get("statuses").has("429"), "overloaded: " + r);
            assertEquals(0, r.get("timeouts").asInt());
            assertEquals(0, r.get("connection_errors").asInt());
            int after = Main.run("load", "--url", "http://127.0.0.1:" + server.port(), "--requests", "200", "--concurrency", "4",
                    "--malformed-percent", "0", "--input", sentences.toString(), "--verify-model", MODEL, "--json", report.toString());
            assertEquals(0, after, "it recovers: " + Files.readString(report));
        }
    }
}
