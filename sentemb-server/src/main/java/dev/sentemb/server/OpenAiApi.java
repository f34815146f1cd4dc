package dev.sentemb.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * OpenAI's embeddings API: {@code POST /v1/embeddings} and {@code GET /v1/models}. Vectors are unit length
 * (as OpenAI's are); {@code dimensions} keeps the first values and re-normalises; {@code encoding_format}
 * base64 sends the float32 values little-endian; {@code user} is accepted and ignored.
 */
final class OpenAiApi {
    private final Models models;
    private final EmbeddingService service;
    private final boolean autoTruncate;
    private final int maxClientBatch;

    OpenAiApi(Models models, EmbeddingService service, boolean autoTruncate, int maxClientBatch) {
        this.models = models;
        this.service = service;
        this.autoTruncate = autoTruncate;
        this.maxClientBatch = maxClientBatch;
    }

    byte[] embeddings(byte[] body, ClientConnections.Watch client) {
        ObjectNode req = Json.object(body);
        String modelName = Json.string(req, "model");
        ServedModel model = models.get(modelName);
        String format = Json.string(req, "encoding_format");
        boolean base64 = false;
        if (format != null) {
            if (!format.equals("float") && !format.equals("base64")) {
                throw ApiException.invalid("'encoding_format' must be 'float' or 'base64'; got '" + format + "'", "encoding_format");
            }
            base64 = format.equals("base64");
        }
        Integer dimensions = Json.positive(req, "dimensions", model.encoder.dimension());
        if (req.has("user") && !req.get("user").isTextual() && !req.get("user").isNull()) {
            throw ApiException.invalid("'user' must be a string", "user");
        }
        List<Inputs.Input> inputs = Inputs.parse(req.get("input"), "input");
        if (inputs.size() > maxClientBatch) {
            throw ApiException.tooLarge("'input' has " + inputs.size() + " inputs, more than the limit of " + maxClientBatch + " a request", "input");
        }
        EmbeddingService.Result r = service.embed(model, inputs, autoTruncate, false, null, "input", client);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < r.vectors().size(); i++) {
            float[] v = Vectors.shape(r.vectors().get(i), dimensions, true);
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            if (base64) {
                e.put("embedding", Vectors.base64(v));
            } else {
                ArrayNode a = e.putArray("embedding");
                for (float x : v) {
                    a.add(x);
                }
            }
        }
        out.put("model", model.alias);
        ObjectNode usage = out.putObject("usage");
        usage.put("prompt_tokens", r.promptTokens());
        usage.put("total_tokens", r.promptTokens());
        return Json.bytes(out);
    }

    byte[] models(long created) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        for (ServedModel m : models.all()) {
            data.add(model(m, created));
        }
        return Json.bytes(out);
    }

    byte[] model(String id, long created) {
        ServedModel m = models.get(id);
        return Json.bytes(model(m, created));
    }

    private static ObjectNode model(ServedModel m, long created) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("id", m.alias);
        e.put("object", "model");
        e.put("created", created);
        e.put("owned_by", "sentemb");
        return e;
    }
}
