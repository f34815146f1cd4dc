package dev.sentemb.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentemb.embed.Encoder;
import dev.sentemb.kernel.Parallel;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * The embedding server: Helidon SE's web server (a virtual thread per request) in front of one engine per
 * loaded model. Each request is parsed, validated and submitted whole to its model's engine, which batches it
 * with every other request's inputs; the request's virtual thread waits for its vectors. Limits answer at
 * once: more requests than {@code --max-concurrent-requests} or a full queue get 429 with Retry-After, a body
 * over the size limit 413. A failure in one request is answered on that request alone.
 */
public final class EmbeddingServer implements AutoCloseable {
    static final String VERSION = "0.1.0";
    private static final String JSON = "application/json";

    private final ServeConfig config;
    private final Parallel pool;
    private final List<Encoder> owners;
    private final Models models;
    private final ServerMetrics metrics;
    private final OpenAiApi openAi;
    private final TeiApi tei;
    private final Semaphore slots;
    private final ClientConnections connections = ClientConnections.system();
    private final long started = System.currentTimeMillis() / 1000;
    private final WebServer web;
    private volatile boolean draining;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private EmbeddingServer(ServeConfig config, Parallel pool, ServedModels.Loaded loaded) {
        this.config = config;
        this.pool = pool;
        this.owners = loaded.owners();
        this.models = new Models(loaded.served());
        this.metrics = new ServerMetrics(owners.stream().map(Encoder::engine).toList());
        EmbeddingService service = new EmbeddingService(metrics);
        this.openAi = new OpenAiApi(models, service, config.autoTruncate(), config.maxClientBatchSize());
        this.tei = new TeiApi(models, service, config);
        this.slots = new Semaphore(config.maxConcurrentRequests());
        this.web = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false) // the application drains first, then stops the server
                .maxPayloadSize(config.maxBodyBytes() * 2) // the routes answer 413 themselves, in their API's shape
                .routing(this::routes)
                .build();
    }

    /** Loads the models and starts listening; {@code log} gets one line per loaded model. */
    public static EmbeddingServer start(ServeConfig config, Consumer<String> log) {
        Parallel pool = config.threads() != null ? new Parallel(config.threads()) : null;
        ServedModels.Loaded loaded;
        try {
            loaded = ServedModels.load(config, pool != null ? pool : Parallel.common(), log);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw e;
        }
        EmbeddingServer s = new EmbeddingServer(config, pool, loaded);
        try {
            s.web.start();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The port the server listens on (the chosen one when the config asked for 0). */
    public int port() {
        return web.port();
    }

    /** Requests being answered now. */
    public int inflightRequests() {
        return metrics.inflight().getAsInt();
    }

    /** Whether the server has begun to stop (new requests get 503). */
    public boolean draining() {
        return draining;
    }

    /** The encoder serving {@code alias} (tests watch its engine). */
    Encoder encoder(String alias) {
        return models.get(alias).encoder;
    }

    /** The served aliases, default first. */
    public List<String> aliases() {
        return models.all().stream().map(m -> m.alias).toList();
    }

    private void routes(HttpRouting.Builder r) {
        r.post("/v1/embeddings", handler("/v1/embeddings", true, true, true, openAi::embeddings));
        r.get("/v1/models", handler("/v1/models", true, false, false, (b, c) -> openAi.models(started)));
        r.get("/v1/models/{id}", (req, res) -> handle(req, res, "/v1/models/{id}", true, false, false,
                (b, c) -> openAi.model(req.path().pathParameters().get("id"), started)));
        r.post("/embed", handler("/embed", false, true, true, tei::embed));
        r.post("/similarity", handler("/similarity", false, true, true, tei::similarity));
        r.post("/tokenize", handler("/tokenize", false, true, true, (b, c) -> tei.tokenize(b)));
        r.get("/info", (req, res) -> handle(req, res, "/info", false, false, false,
                (b, c) -> tei.info(req.query().first("model").orElse(null), VERSION)));
        r.get("/health", (req, res) -> handle(req, res, "/health", false, false, false, (b, c) -> {
            if (draining) {
                throw ApiException.unavailable("the server is stopping");
            }
            return new byte[0];
        }));
        r.get("/metrics", (req, res) -> {
            cors(res);
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(metrics.scrape());
        });
        if (config.corsOrigin() != null) {
            r.options("/*", (req, res) -> {
                cors(res);
                res.header(HeaderNames.create("Access-Control-Allow-Methods"), "GET, POST, OPTIONS");
                res.header(HeaderNames.create("Access-Control-Allow-Headers"), "Authorization, Content-Type");
                res.header(HeaderNames.create("Access-Control-Max-Age"), "600");
                res.status(Status.NO_CONTENT_204).send();
            });
        }
    }

    /** A route's answer to a request's body (null for routes without one); an embedding route watches its client while it waits. */
    @FunctionalInterface
    interface Route {
        byte[] answer(byte[] body, ClientConnections.Watch client);
    }

    private Handler handler(String route, boolean openAiShape, boolean body, boolean limited, Route f) {
        return (req, res) -> handle(req, res, route, openAiShape, body, limited, f);
    }

    private void handle(ServerRequest req, ServerResponse res, String route, boolean openAiShape, boolean body, boolean limited,
                        Route f) {
        long t0 = System.nanoTime();
        int status = 200;
        boolean acquired = false;
        metrics.requestStarted();
        try {
            cors(res);
            authorize(req);
            if (draining) {
                throw ApiException.unavailable("the server is stopping");
            }
            if (limited) {
                if (!slots.tryAcquire()) {
                    throw ApiException.overloaded("more than " + config.maxConcurrentRequests() + " requests at once; retry shortly");
                }
                acquired = true;
            }
            byte[] in = body ? readBody(req) : null;
            byte[] out = f.answer(in, connections.watch(req.localPeer().address(), req.remotePeer().address()));
            res.header(HeaderNames.CONTENT_TYPE, JSON);
            res.send(out);
        } catch (ClientGoneException e) { // nobody to answer: the connection is closed after a bare status
            status = ClientGoneException.STATUS;
            if (!res.isSent()) {
                res.header(HeaderNames.CONNECTION, "close");
                res.status(Status.create(status, "Client Closed Request"));
                try {
                    res.send();
                } catch (RuntimeException gone) {
                    // the socket is already closed: there was never anyone to tell
                }
            }
        } catch (ApiException e) {
            status = openAiShape ? e.status : e.teiStatus();
            sendError(res, e, openAiShape, status);
        } catch (RuntimeException | Error e) { // a bug, never the client's fault: answered here, the server goes on
            status = 500;
            System.err.println("sentemb serve: " + route + ": " + e);
            sendError(res, ApiException.backend("internal error: " + e), openAiShape, status);
        } finally {
            if (acquired) {
                slots.release();
            }
            metrics.requestFinished(route, status, t0);
        }
    }

    private void authorize(ServerRequest req) {
        if (config.apiKey() == null) {
            return;
        }
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!java.security.MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8),
                ("Bearer " + config.apiKey()).getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.unauthorized();
        }
    }

    private void cors(ServerResponse res) {
        if (config.corsOrigin() != null) {
            res.header(HeaderNames.create("Access-Control-Allow-Origin"), config.corsOrigin());
        }
    }

    /** The body, at most the size limit (a longer one is a 413 before it is all read). */
    private byte[] readBody(ServerRequest req) {
        long limit = config.maxBodyBytes();
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > limit) {
            throw ApiException.tooLarge("the body has " + declared + " bytes, more than the limit of " + limit, null);
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (b.length > limit) {
                throw ApiException.tooLarge("the body is longer than the limit of " + limit + " bytes", null);
            }
            return b;
        } catch (IOException e) {
            throw ApiException.malformed("could not read the body: " + e.getMessage());
        }
    }

    private static void sendError(ServerResponse res, ApiException e, boolean openAiShape, int status) {
        if (res.isSent()) {
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (openAiShape) {
            ObjectNode err = body.putObject("error");
            err.put("message", e.getMessage());
            err.put("type", e.openAiType);
            err.put("param", e.param);
            err.put("code", e.code);
        } else {
            body.put("error", e.getMessage());
            body.put("error_type", e.teiType.wire());
        }
        if (e.retryAfter > 0) {
            res.header(HeaderNames.RETRY_AFTER, Integer.toString(e.retryAfter));
        }
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        res.send(Json.bytes(body));
    }

    /**
     * Stops taking requests (new ones get 503), waits up to {@code grace} for those in flight to be answered,
     * then stops the server and releases the models.
     */
    public void drainAndStop(Duration grace) {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (metrics.inflight().getAsInt() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    @Override
    public void close() {
        draining = true;
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (web.isRunning()) {
                web.stop();
            }
        } finally {
            owners.forEach(Encoder::close);
            if (pool != null) {
                pool.close();
            }
        }
    }
}
