package dev.sentemb.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentemb.embed.Encoder;
import dev.sentemb.engine.EmbeddingEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * A request whose client closes its connection while it waits is dropped from the engine's queue (its inputs are
 * never computed); a client that stays connected through a long wait is answered, and its keep-alive connection
 * goes on serving. The engine's scheduler is held by a listener so the requests wait as long as the test says.
 */
class ClientDisconnectTest {
    @Test
    void aClosedClientsInputsLeaveTheQueueAndAPatientOneIsAnswered() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "the kernel's TCP table (Linux)");
        ServeConfig c = ServeConfig.defaults(List.of(ModelEntry.parse("tiny=" + ServerApiTest.MODEL)))
                .withPort(0).withCompute(2, 16384).withLimits(64, 1024);
        try (EmbeddingServer server = EmbeddingServer.start(c, line -> {});
             Encoder library = Encoder.builder(ServerApiTest.MODEL).threads(2).normalize(true).build()) {
            EmbeddingEngine engine = server.encoder("tiny").engine();
            CountDownLatch held = new CountDownLatch(1), release = new CountDownLatch(1);
            engine.addListener(pass -> {
                if (release.getCount() > 0) {
                    held.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            long computedBefore = engine.stats().inputs();
            CompletableFuture<Http.Answer> blocker = CompletableFuture.supplyAsync(() -> Http.post(server.port(), "/embed",
                    "{\"inputs\": \"The first request holds the scheduler.\"}"));
            assertTrue(held.await(30, TimeUnit.SECONDS), "the first pass reached the listener");

            try (Socket patient = new Socket("127.0.0.1", server.port())) {
                try (Socket leaving = new Socket("127.0.0.1", server.port())) {
                    send(leaving, "{\"inputs\": [\"one\", \"two\", \"three\", \"four\"]}");
                    waitFor(engine::queued, 4, "the leaving client's four inputs queued");
                    send(patient, "{\"inputs\": [\"A man is playing a guitar.\", \"A woman slices an onion.\"]}");
                    waitFor(engine::queued, 6, "the patient client's two inputs queued too");
                }
                waitFor(engine::queued, 2, "the closed client's inputs dropped");
                Thread.sleep(20 * EmbeddingService.WATCH_MILLIS);
                assertEquals(2, engine.queued(), "the connected client's inputs stay through a long wait");

                release.countDown();
                assertEquals(200, blocker.get(60, TimeUnit.SECONDS).status());
                BufferedReader in = new BufferedReader(new InputStreamReader(patient.getInputStream(), StandardCharsets.UTF_8));
                JsonNode got = Http.JSON.readTree(readResponse(in, 200));
                float[][] want = library.embed(List.of("A man is playing a guitar.", "A woman slices an onion."));
                for (int i = 0; i < 2; i++) {
                    assertArrayEquals(want[i], Http.floats(got.get(i)), "input " + i + " bit for bit after the wait");
                }
                send(patient, "{\"inputs\": \"The same connection again.\"}");
                assertArrayEquals(library.embed("The same connection again."), Http.floats(Http.JSON.readTree(readResponse(in, 200)).get(0)),
                        "the kept-alive connection serves the next request");
            }
            assertEquals(computedBefore + 1 + 2 + 1, engine.stats().inputs(), "the four dropped inputs were never computed");
            String metrics = Http.get(server.port(), "/metrics").body();
            assertTrue(metrics.contains("sentemb_requests_total{route=\"/embed\",status=\"499\"} 1.0"), metrics);
        }
    }

    private static void send(Socket s, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("POST /embed HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** One response's body (Content-Length framed), after checking its status. */
    private static String readResponse(BufferedReader in, int status) throws Exception {
        String statusLine = in.readLine();
        assertTrue(statusLine != null && statusLine.startsWith("HTTP/1.1 " + status), "status line: " + statusLine);
        int length = -1;
        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
            if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        assertTrue(length >= 0, "a Content-Length");
        char[] body = new char[length]; // the JSON answer is ASCII
        for (int n = 0; n < length; ) {
            n += in.read(body, n, length - n);
        }
        return new String(body);
    }

    private static void waitFor(IntSupplier value, int want, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (value.getAsInt() != want && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(want, value.getAsInt(), what);
    }
}
