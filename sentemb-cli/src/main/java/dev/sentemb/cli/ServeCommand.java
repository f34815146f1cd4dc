package dev.sentemb.cli;

import dev.sentemb.load.ModelRegistry;
import dev.sentemb.server.EmbeddingServer;
import dev.sentemb.server.ModelEntry;
import dev.sentemb.server.ServeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_FAILED, ExitCodes.HELP_USAGE},
        description = {"Serve embeddings over HTTP: OpenAI's POST /v1/embeddings and GET /v1/models, text-embeddings-inference's "
                + "POST /embed, /similarity, /tokenize and GET /info, /health, and Prometheus GET /metrics. Concurrent requests are "
                + "batched into the model's forward passes. SIGTERM (or Ctrl-C) stops taking requests, answers those in flight, then exits."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, paramLabel = "[ALIAS=]MODEL[,template=T][,adapter=DIR][,pooling=P][,strategy=S][,templates=FILE]",
            description = "A model to serve (repeatable; the first is the default, the others are picked by the request's 'model' field): "
                    + "a registry name, a .gguf path, a Hugging Face directory or cached id, optionally under an alias and with its own "
                    + "template, adapter, pooling or named strategy (" + dev.sentemb.strategy.Strategies.NAMES + "), or with templates=FILE the mean of "
                    + "the embeddings under a file's templates (one a line, as --templates of embed). Default: " + ModelRegistry.DEFAULT_MODEL + ".")
    List<String> models = new ArrayList<>();

    @Option(names = "--template", defaultValue = "eol", paramLabel = "TEMPLATE",
            description = "Template of models that name none: eol, icl:<name>, icl:best or a literal with *sent_0*. Default: ${DEFAULT-VALUE}.")
    String template;

    @Option(names = "--adapter", paramLabel = "DIR", description = "A PEFT LoRA adapter for models that name none (merged on load).")
    String adapter;

    @Option(names = "--pooling", defaultValue = "last", paramLabel = "last|mean", description = "Pooling of models that name none. Default: ${DEFAULT-VALUE}.")
    String pooling;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (0: any free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads, shared by every model. Default: all cores.")
    Integer threads;

    @Option(names = "--packed-weights", paramLabel = "MB|auto", defaultValue = "auto", converter = ModelOptions.PackedWeightsOption.class,
            description = "Per loaded model, keep up to MB megabytes of projection weights decoded (fp32) once small passes (concurrent "
                    + "single-sentence requests) dominate, so passes skip decoding them. 0: never. auto: a quarter of the JVM's "
                    + "direct-memory limit, at most 1024. Default: ${DEFAULT-VALUE}.")
    long packedWeightBytes;

    @Option(names = "--max-batch-tokens", defaultValue = "16384", paramLabel = "N",
            description = "Computed tokens per forward pass. Default: ${DEFAULT-VALUE}.")
    int maxBatchTokens;

    @Option(names = "--max-client-batch-size", defaultValue = "512", paramLabel = "N", description = "Inputs per request. Default: ${DEFAULT-VALUE}.")
    int maxClientBatchSize;

    @Option(names = "--max-concurrent-requests", defaultValue = "512", paramLabel = "N",
            description = "Requests answered at once; more get 429 with Retry-After at once. Default: ${DEFAULT-VALUE}.")
    int maxConcurrentRequests;

    @Option(names = "--max-queued-inputs", defaultValue = "262144", paramLabel = "N",
            description = "Inputs waiting in a model's queue at most; a request that does not fit gets 429. Default: ${DEFAULT-VALUE}.")
    int maxQueuedInputs;

    @Option(names = "--max-input-tokens", paramLabel = "N",
            description = "Tokens per input; longer inputs get 413 unless truncation is asked for. Default: the model's context less the template's tokens.")
    Integer maxInputTokens;

    @Option(names = "--auto-truncate", description = "Truncate inputs over --max-input-tokens instead of refusing them.")
    boolean autoTruncate;

    @Option(names = "--max-body-bytes", defaultValue = "2000000", paramLabel = "N", description = "Largest request body. Default: ${DEFAULT-VALUE}.")
    long maxBodyBytes;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Require 'Authorization: Bearer KEY' on every request.")
    String apiKey;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", description = "Answer browsers from this origin (Access-Control-Allow-Origin).")
    String corsOrigin;

    @Option(names = "--drain-seconds", defaultValue = "30", paramLabel = "S",
            description = "On SIGTERM, how long requests in flight may take to finish. Default: ${DEFAULT-VALUE}.")
    int drainSeconds;

    @Override
    public Integer call() throws Exception {
        List<ModelEntry> entries = new ArrayList<>();
        for (String m : models.isEmpty() ? List.of(ModelRegistry.DEFAULT_MODEL) : models) {
            entries.add(ModelEntry.parse(m));
        }
        ServeConfig config = new ServeConfig(entries, template, adapter, pooling, host, port, threads, maxBatchTokens, maxClientBatchSize,
                maxConcurrentRequests, maxInputTokens, autoTruncate, apiKey, corsOrigin, maxBodyBytes, maxQueuedInputs, packedWeightBytes);
        for (ModelEntry e : entries) { // fetch registry models with a progress bar before loading
            if (ModelRegistry.find(e.model()).isPresent()) {
                dev.sentemb.load.ModelStore.standard().resolve(e.model(), Progress.forFetch(e.model()));
            }
        }
        EmbeddingServer server = EmbeddingServer.start(config, line -> System.err.println("sentemb serve: " + line));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("sentemb serve: stopping: answering requests in flight (up to " + drainSeconds + " s)");
            server.drainAndStop(Duration.ofSeconds(drainSeconds));
            stopped.countDown();
        }, "sentemb-serve-drain"));
        System.err.println("sentemb serve: listening on http://" + host + ":" + server.port() + " (models: "
                + String.join(", ", server.aliases()) + ")");
        stopped.await();
        return 0;
    }
}
