package dev.sentemb.server;

/**
 * A request the server refuses, with what each API shape needs to say so: the HTTP status, OpenAI's error
 * {@code type}, {@code param} and {@code code}, and TEI's {@code error_type}.
 */
final class ApiException extends RuntimeException {
    /** TEI's error types (its {@code ErrorType}), each with the status TEI answers it with. */
    enum TeiType {
        UNHEALTHY(503), BACKEND(424), OVERLOADED(429), VALIDATION(422), TOKENIZER(422), EMPTY(400);

        final int status;

        TeiType(int status) {
            this.status = status;
        }

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    final int status;
    final String openAiType;
    final String param;
    final String code;
    final TeiType teiType;
    /** Seconds for a Retry-After header, or 0 for none. */
    final int retryAfter;

    ApiException(int status, String message, String openAiType, String param, String code, TeiType teiType, int retryAfter) {
        super(message);
        this.status = status;
        this.openAiType = openAiType;
        this.param = param;
        this.code = code;
        this.teiType = teiType;
        this.retryAfter = retryAfter;
    }

    /** A request the client must change: 400 in OpenAI's API; TEI says 422 (validation) unless told otherwise. */
    static ApiException invalid(String message, String param) {
        return new ApiException(400, message, "invalid_request_error", param, null, TeiType.VALIDATION, 0);
    }

    /** An empty input list (TEI's "empty", 400). */
    static ApiException empty(String message, String param) {
        return new ApiException(400, message, "invalid_request_error", param, null, TeiType.EMPTY, 0);
    }

    /** The body is not JSON at all: 400 in both APIs. */
    static ApiException malformed(String message) {
        return new ApiException(400, message, "invalid_request_error", null, "invalid_json", TeiType.VALIDATION, 0);
    }

    /** Too large: a body, a batch or an input over its limit (413 in both APIs). */
    static ApiException tooLarge(String message, String param) {
        return new ApiException(413, message, "invalid_request_error", param, "too_large", TeiType.VALIDATION, 0);
    }

    /** A model the server does not serve (OpenAI: 404 model_not_found). */
    static ApiException unknownModel(String model) {
        return new ApiException(404, "The model `" + model + "` does not exist", "invalid_request_error", "model", "model_not_found",
                TeiType.VALIDATION, 0);
    }

    /** The queue or the request limit is full: 429 at once, with Retry-After. */
    static ApiException overloaded(String message) {
        return new ApiException(429, message, "rate_limit_exceeded", null, "rate_limit_exceeded", TeiType.OVERLOADED, 1);
    }

    /** Shutting down: new requests are refused while those in flight finish. */
    static ApiException unavailable(String message) {
        return new ApiException(503, message, "server_error", null, "unavailable", TeiType.UNHEALTHY, 1);
    }

    /** The model failed on an input that passed validation (a non-finite vector, an internal error). */
    static ApiException backend(String message) {
        return new ApiException(500, message, "server_error", null, null, TeiType.BACKEND, 0);
    }

    /** A missing or wrong bearer token. */
    static ApiException unauthorized() {
        return new ApiException(401, "Incorrect API key provided. Send it as 'Authorization: Bearer <key>'.", "invalid_request_error",
                null, "invalid_api_key", TeiType.VALIDATION, 0);
    }

    /** The status in TEI's routes: TEI's own mapping, except the limits this server states (413, 404, 401) and 400 for a body that is not JSON. */
    int teiStatus() {
        if (status == 413 || status == 404 || status == 401 || "invalid_json".equals(code)) {
            return status;
        }
        return teiType.status;
    }
}
