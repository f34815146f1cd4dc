package dev.sentemb.server;

import dev.sentemb.load.ModelSpec;
import java.util.List;

/**
 * How the server runs (the {@code serve} command's options).
 *
 * @param models                the served models, the first the default
 * @param template              template of models that name none (eol, icl:NAME, icl:best, a literal)
 * @param adapter               PEFT adapter of models that name none, or null
 * @param pooling               last or mean, for models that name none
 * @param host                  the address to bind
 * @param port                  the port (0: any free one)
 * @param threads               compute threads (null: all cores), one pool for every model
 * @param maxBatchTokens        computed tokens per forward pass
 * @param maxClientBatchSize    inputs per request
 * @param maxConcurrentRequests requests answered at once; more get 429 at once
 * @param maxInputTokens        tokens per input (null: the model's context less the template's tokens)
 * @param autoTruncate          truncate inputs over the limit instead of refusing them
 * @param apiKey                a bearer token every request must carry, or null
 * @param corsOrigin            the Access-Control-Allow-Origin to answer with, or null for none
 * @param maxBodyBytes          the largest request body
 * @param maxQueuedInputs       inputs waiting in a model's queue at most; a request that does not fit gets 429
 * @param packedWeightBytes     bytes of decoded projection weights each model may keep ({@link ModelSpec#AUTO_PACKED}: sized to the JVM)
 */
public record ServeConfig(List<ModelEntry> models, String template, String adapter, String pooling, String host, int port,
                          Integer threads, int maxBatchTokens, int maxClientBatchSize, int maxConcurrentRequests,
                          Integer maxInputTokens, boolean autoTruncate, String apiKey, String corsOrigin, long maxBodyBytes,
                          int maxQueuedInputs, long packedWeightBytes) {
    public ServeConfig {
        models = List.copyOf(models);
        if (maxBatchTokens < 1 || maxClientBatchSize < 1 || maxConcurrentRequests < 1 || maxBodyBytes < 1 || maxQueuedInputs < 1
                || (maxInputTokens != null && maxInputTokens < 1) || port < 0 || port > 65535 || packedWeightBytes < ModelSpec.AUTO_PACKED) {
            throw new IllegalArgumentException("limits must be positive, the port within 0..65535 and the packed-weight budget a byte count or AUTO_PACKED");
        }
    }

    /** The defaults of {@code sentemb serve}: smollm2-135m with the plain template on 127.0.0.1:8080. */
    public static ServeConfig defaults(List<ModelEntry> models) {
        return new ServeConfig(models, "eol", null, "last", "127.0.0.1", 8080, null, 16384, 512, 512, null, false, null, null,
                2_000_000, 1 << 18, ModelSpec.AUTO_PACKED);
    }

    public ServeConfig withPort(int p) {
        return new ServeConfig(models, template, adapter, pooling, host, p, threads, maxBatchTokens, maxClientBatchSize,
                maxConcurrentRequests, maxInputTokens, autoTruncate, apiKey, corsOrigin, maxBodyBytes, maxQueuedInputs, packedWeightBytes);
    }

    public ServeConfig withLimits(int maxConcurrentRequests, int maxQueuedInputs) {
        return new ServeConfig(models, template, adapter, pooling, host, port, threads, maxBatchTokens, maxClientBatchSize,
                maxConcurrentRequests, maxInputTokens, autoTruncate, apiKey, corsOrigin, maxBodyBytes, maxQueuedInputs, packedWeightBytes);
    }

    public ServeConfig withAccess(String apiKey, String corsOrigin) {
        return new ServeConfig(models, template, adapter, pooling, host, port, threads, maxBatchTokens, maxClientBatchSize,
                maxConcurrentRequests, maxInputTokens, autoTruncate, apiKey, corsOrigin, maxBodyBytes, maxQueuedInputs, packedWeightBytes);
    }

    public ServeConfig withInputs(Integer maxInputTokens, boolean autoTruncate, int maxClientBatchSize, long maxBodyBytes) {
        return new ServeConfig(models, template, adapter, pooling, host, port, threads, maxBatchTokens, maxClientBatchSize,
                maxConcurrentRequests, maxInputTokens, autoTruncate, apiKey, corsOrigin, maxBodyBytes, maxQueuedInputs, packedWeightBytes);
    }

    public ServeConfig withCompute(Integer threads, int maxBatchTokens) {
        return new ServeConfig(models, template, adapter, pooling, host, port, threads, maxBatchTokens, maxClientBatchSize,
                maxConcurrentRequests, maxInputTokens, autoTruncate, apiKey, corsOrigin, maxBodyBytes, maxQueuedInputs, packedWeightBytes);
    }

    public ServeConfig withPackedWeights(long bytes) {
        return new ServeConfig(models, template, adapter, pooling, host, port, threads, maxBatchTokens, maxClientBatchSize,
                maxConcurrentRequests, maxInputTokens, autoTruncate, apiKey, corsOrigin, maxBodyBytes, maxQueuedInputs, bytes);
    }
}
