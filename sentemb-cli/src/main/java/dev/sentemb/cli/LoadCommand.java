package dev.sentemb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentemb.embed.Encoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A load generator for {@code sentemb serve}, run as a process of its own: N requests of one sentence each
 * from C concurrent connections, a share of them malformed on purpose, every valid answer checked against
 * the library's vector for that sentence (bit for bit), then counts by status, connection errors and
 * time-outs, throughput, latency percentiles and, given its pid, the server's resident memory.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_FAILED, ExitCodes.HELP_USAGE},
        description = {"Drive a running sentemb server (or any OpenAI-compatible embeddings server) with concurrent single-sentence "
                + "requests and report statuses, errors, sentences/s and latency. Exits 1 when an answer is 5xx, a connection fails, "
                + "a request times out or (with --verify-model) a vector differs from the library's."})
final class LoadCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "The server's base URL. Default: ${DEFAULT-VALUE}.")
    String url;

    @Option(names = "--requests", defaultValue = "10000", paramLabel = "N", description = "Requests to send. Default: ${DEFAULT-VALUE}.")
    int requests;

    @Option(names = "--concurrency", defaultValue = "64", paramLabel = "C", description = "Concurrent connections. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--malformed-percent", defaultValue = "5", paramLabel = "P",
            description = "Share of requests that are malformed on purpose (bad JSON, wrong types, empty lists). Default: ${DEFAULT-VALUE}.")
    int malformedPercent;

    @Option(names = "--api", defaultValue = "openai", paramLabel = "openai|tei", description = "Request shape. Default: ${DEFAULT-VALUE}.")
    String api;

    @Option(names = "--model-name", paramLabel = "NAME", description = "The 'model' field of each request (OpenAI shape). Default: none (the server's default).")
    String modelName;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Sentences, one a line, instead of the STS-B test sentences.")
    Path input;

    @Option(names = "--data", paramLabel = "DIR", description = "SentEval's data/downstream folder (default: $SENTEMB_DATA or ../shared/data/senteval).")
    Path data;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Only the first N distinct sentences (0: all). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--verify-model", paramLabel = "MODEL",
            description = "Check every vector against this model's library embedding (normalised, plain template unless --verify-template).")
    String verifyModel;

    @Option(names = "--verify-template", defaultValue = "eol", paramLabel = "TEMPLATE", description = "Template of --verify-model. Default: ${DEFAULT-VALUE}.")
    String verifyTemplate;

    @Option(names = "--send-prompts", paramLabel = "TEMPLATE",
            description = "Send each sentence already in this template (eol, icl:NAME): for a peer server that embeds its input as it is.")
    String sendPrompts;

    @Option(names = "--expect-overload", description = "An overload run: 429 answers are expected and counted, not failures.")
    boolean expectOverload;

    @Option(names = "--server-pid", paramLabel = "PID", description = "Report this process's resident memory (peak and now) at the end.")
    Long serverPid;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "N",
            description = "Valid requests sent first, from as many connections, and not counted (the server's and this client's JIT). Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--timeout-seconds", defaultValue = "120", paramLabel = "S", description = "Per-request time-out. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path jsonOut;

    private static final String[] MALFORMED = {
        "{\"input\": ", "{\"input\": 42}", "{\"input\": []}", "{\"input\": [\"ok\", null]}", "[1, 2, 3]", "not json at all",
        "{\"input\": \"x\", \"encoding_format\": \"hex\"}", "{\"input\": [[1, -5]]}", "{\"inputs\": {}}", ""};

    @Override
    public Integer call() throws Exception {
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be 0 or more, not " + warmup);
        }
        List<String> sentences = input != null ? Files.readAllLines(input, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList()
                : BenchCommand.stsbTest(DataDir.resolve(data));
        if (limit > 0 && sentences.size() > limit) {
            sentences = sentences.subList(0, limit);
        }
        boolean tei = api.equals("tei");
        if (!tei && !api.equals("openai")) {
            throw new IllegalArgumentException("--api must be openai or tei");
        }
        float[][] expected = null;
        if (verifyModel != null) {
            try (Encoder enc = Encoder.builder(verifyModel).template(verifyTemplate).normalize(true).build()) {
                expected = enc.embed(sentences);
            }
        }
        List<String> texts = sendPrompts == null ? sentences
                : sentences.stream().map(dev.sentemb.prompt.Templates.resolve(sendPrompts)::render).toList();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        URI target = URI.create(url.replaceAll("/+$", "") + (tei ? "/embed" : "/v1/embeddings"));
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger connectionErrors = new AtomicInteger(), timeouts = new AtomicInteger(), mismatches = new AtomicInteger(),
                badMalformed = new AtomicInteger(), okValid = new AtomicInteger();
        AtomicLong next = new AtomicLong();
        long[] latencies = new long[requests];
        Arrays.fill(latencies, -1);
        String[] firstProblem = new String[1];
        float[][] want = expected;
        warmUp(client, target, texts, tei);
        Duration clientCpu0 = cpu(ProcessHandle.current().pid()), serverCpu0 = serverPid == null ? null : cpu(serverPid);
        long t0 = System.nanoTime();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.submit(() -> {
                    for (long k; (k = next.getAndIncrement()) < requests; ) {
                        int i = (int) k;
                        boolean malformed = (i * 37L % 100) < malformedPercent; // spread evenly over the run
                        int s = i % texts.size();
                        String body = malformed ? MALFORMED[i % MALFORMED.length] : body(texts.get(s), tei);
                        HttpRequest req = request(target, body);
                        long start = System.nanoTime();
                        try {
                            HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
                            long took = System.nanoTime() - start;
                            statuses.computeIfAbsent(res.statusCode(), c -> new AtomicInteger()).incrementAndGet();
                            if (malformed) {
                                if (res.statusCode() < 400 || res.statusCode() >= 500) {
                                    badMalformed.incrementAndGet();
                                    note(firstProblem, "malformed body " + body + " got " + res.statusCode());
                                }
                            } else if (res.statusCode() == 200) {
                                latencies[i] = took;
                                okValid.incrementAndGet();
                                if (want != null && !Arrays.equals(want[s], vector(res.body(), tei))) {
                                    mismatches.incrementAndGet();
                                    note(firstProblem, "sentence " + s + " differs from the library's vector");
                                }
                            }
                        } catch (HttpTimeoutException e) {
                            timeouts.incrementAndGet();
                            note(firstProblem, "time-out: " + e.getMessage());
                        } catch (java.io.IOException e) {
                            connectionErrors.incrementAndGet();
                            note(firstProblem, "connection: " + e);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Duration clientCpu = minus(cpu(ProcessHandle.current().pid()), clientCpu0), serverCpu = serverPid == null ? null : minus(cpu(serverPid), serverCpu0);
        long[] lat = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        int fiveXX = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(e -> e.getValue().get()).sum();
        int tooMany = statuses.getOrDefault(429, new AtomicInteger()).get();
        ObjectNode r = JSON.createObjectNode();
        r.put("url", target.toString());
        r.put("requests", requests);
        r.put("warmup_requests", warmup);
        r.put("concurrency", concurrency);
        r.put("malformed_percent", malformedPercent);
        r.put("distinct_sentences", texts.size());
        ObjectNode st = r.putObject("statuses");
        new TreeMap<>(statuses).forEach((k, v) -> st.put(Integer.toString(k), v.get()));
        r.put("5xx", fiveXX);
        r.put("connection_errors", connectionErrors.get());
        r.put("timeouts", timeouts.get());
        r.put("malformed_not_4xx", badMalformed.get());
        r.put("verified", want != null);
        r.put("vector_mismatches", mismatches.get());
        r.put("wall_s", wall);
        r.put("valid_answered", okValid.get());
        r.put("sentences_per_s", okValid.get() / wall);
        r.put("latency_p50_ms", pct(lat, 0.50));
        r.put("latency_p90_ms", pct(lat, 0.90));
        r.put("latency_p99_ms", pct(lat, 0.99));
        r.put("latency_max_ms", lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6);
        if (serverPid != null) {
            r.put("server_rss_peak_mb", BenchCommand.procStatusMb(serverPid, "VmHWM"));
            r.put("server_rss_mb", BenchCommand.procStatusMb(serverPid, "VmRSS"));
            if (serverCpu != null) { // where the CPU went during the timed run: the server's per answered sentence
                r.put("server_cpu_s", serverCpu.toMillis() / 1e3);
                r.put("server_cpu_ms_per_sentence", okValid.get() == 0 ? Double.NaN : serverCpu.toMillis() / (double) okValid.get());
            }
        }
        if (clientCpu != null) {
            r.put("client_cpu_s", clientCpu.toMillis() / 1e3); // this process's, on the same machine as a loopback server
        }
        if (firstProblem[0] != null) {
            r.put("first_problem", firstProblem[0]);
        }
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r);
        System.out.println(text);
        if (jsonOut != null) {
            Files.writeString(jsonOut, text + "\n");
        }
        boolean failed = fiveXX > 0 || connectionErrors.get() > 0 || timeouts.get() > 0 || mismatches.get() > 0 || badMalformed.get() > 0
                || (!expectOverload && tooMany > 0) || (expectOverload && okValid.get() == 0);
        return failed ? 1 : 0;
    }

    /** A process's CPU time so far (user + system), or null where the OS does not say. */
    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).orElse(null);
    }

    private static Duration minus(Duration end, Duration start) {
        return end == null || start == null ? null : end.minus(start);
    }

    /** --warmup: valid requests from --concurrency connections, answers discarded, before the timed run. */
    private void warmUp(HttpClient client, URI target, List<String> texts, boolean tei) {
        AtomicLong next = new AtomicLong();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.submit(() -> {
                    for (long k; (k = next.getAndIncrement()) < warmup; ) {
                        HttpRequest req = request(target, body(texts.get((int) (k % texts.size())), tei));
                        try {
                            client.send(req, HttpResponse.BodyHandlers.discarding());
                        } catch (java.io.IOException e) {
                            // the timed run counts connection problems; a warm-up only warms
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
            }
        }
    }

    private HttpRequest request(URI target, String body) {
        return HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(timeoutSeconds)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private String body(String sentence, boolean tei) {
        ObjectNode b = JSON.createObjectNode();
        if (tei) {
            b.put("inputs", sentence);
        } else {
            b.put("input", sentence);
            if (modelName != null) {
                b.put("model", modelName);
            }
        }
        return b.toString();
    }

    private static float[] vector(String body, boolean tei) {
        try {
            JsonNode j = JSON.readTree(body);
            JsonNode a = tei ? j.get(0) : j.get("data").get(0).get("embedding");
            float[] v = new float[a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) a.get(i).asDouble();
            }
            return v;
        } catch (java.io.IOException e) {
            return new float[0];
        }
    }

    private static synchronized void note(String[] first, String what) {
        if (first[0] == null) {
            first[0] = what;
        }
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
