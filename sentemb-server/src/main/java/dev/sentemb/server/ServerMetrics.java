package dev.sentemb.server;

import dev.sentemb.embed.PendingEmbeddings;
import dev.sentemb.engine.EmbeddingEngine;
import dev.sentemb.engine.PassRecord;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics, in a registry of its own: requests by route and status, request latency,
 * time in the engine's queue and in inference, forward passes' sizes (inputs and tokens), queue depth,
 * in-flight requests and computed tokens per second.
 */
final class ServerMetrics {
    private static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency, queueTime, inferenceTime, batchInputs, batchTokens;
    private final Counter computedTokens;
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicInteger inflight = new AtomicInteger();
    /** When the first pass that computes each submission began (nanoTime), until its request reads it. */
    private final Map<Long, Long> firstPass = new ConcurrentHashMap<>();
    private long lastScrapeNanos = System.nanoTime(), lastScrapeTokens;

    ServerMetrics(Collection<EmbeddingEngine> engines) {
        requests = Counter.builder().name("sentemb_requests").help("HTTP requests answered, by route and status")
                .labelNames("route", "status").register(registry);
        latency = Histogram.builder().name("sentemb_request_duration_seconds").help("Time from a request's arrival to its answer")
                .labelNames("route").classicUpperBounds(SECONDS).classicOnly().register(registry);
        queueTime = Histogram.builder().name("sentemb_queue_duration_seconds")
                .help("Time from a request's submission to the first forward pass computing it").classicUpperBounds(SECONDS).classicOnly()
                .register(registry);
        inferenceTime = Histogram.builder().name("sentemb_inference_duration_seconds")
                .help("Time from a request's first forward pass to its last result").classicUpperBounds(SECONDS).classicOnly().register(registry);
        batchInputs = Histogram.builder().name("sentemb_batch_size").help("Inputs in each forward pass")
                .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).classicOnly().register(registry);
        batchTokens = Histogram.builder().name("sentemb_batch_tokens").help("Tokens computed in each forward pass")
                .classicUpperBounds(16, 64, 256, 1024, 4096, 16384, 65536).classicOnly().register(registry);
        computedTokens = Counter.builder().name("sentemb_computed_tokens").help("Prompt tokens computed by forward passes")
                .register(registry);
        GaugeWithCallback.builder().name("sentemb_queue_depth").help("Inputs waiting in the engines' queues")
                .callback(cb -> cb.call(engines.stream().mapToInt(EmbeddingEngine::queued).sum())).register(registry);
        GaugeWithCallback.builder().name("sentemb_inflight_requests").help("Requests being answered")
                .callback(cb -> cb.call(inflight.get())).register(registry);
        GaugeWithCallback.builder().name("sentemb_tokens_per_second").help("Tokens computed per second since the previous scrape")
                .callback(cb -> cb.call(tokensPerSecond())).register(registry);
        for (EmbeddingEngine e : engines) {
            e.addListener(this::onPass);
        }
    }

    private void onPass(PassRecord r) {
        long now = System.nanoTime();
        batchInputs.observe(r.submissions().length);
        batchTokens.observe(r.tokens());
        computedTokens.inc(r.tokens());
        tokens.addAndGet(r.tokens());
        for (long s : r.submissions()) {
            firstPass.putIfAbsent(s, now);
        }
    }

    private synchronized double tokensPerSecond() {
        long now = System.nanoTime(), t = tokens.get();
        double rate = (t - lastScrapeTokens) / Math.max(1e-9, (now - lastScrapeNanos) / 1e9);
        lastScrapeNanos = now;
        lastScrapeTokens = t;
        return rate;
    }

    /** Queue and inference time of a request whose results are all in. */
    void requestTimed(PendingEmbeddings pending, long submittedNanos) {
        Long first = firstPass.remove(pending.submissionId());
        if (first != null) {
            long now = System.nanoTime();
            queueTime.observe(Math.max(0, first - submittedNanos) / 1e9);
            inferenceTime.observe(Math.max(0, now - first) / 1e9);
        }
    }

    /** A request that gave up before its results (cancelled): forget its pass time. */
    void forget(PendingEmbeddings pending) {
        firstPass.remove(pending.submissionId());
    }

    void requestStarted() {
        inflight.incrementAndGet();
    }

    void requestFinished(String route, int status, long startNanos) {
        inflight.decrementAndGet();
        requests.labelValues(route, Integer.toString(status)).inc();
        latency.labelValues(route).observe((System.nanoTime() - startNanos) / 1e9);
    }

    /** Requests answered so far with this route and status (for tests and the load report). */
    long count(String route, int status) {
        return (long) requests.labelValues(route, Integer.toString(status)).get();
    }

    IntSupplier inflight() {
        return inflight::get;
    }

    /** The registry in Prometheus' text format (version 0.0.4). */
    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
