package dev.sentemb.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The server's JSON: request bodies read as trees (so errors can name fields), answers written as trees. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** The body as a JSON object, or a 400 saying why it is not one. */
    static ObjectNode object(byte[] body) {
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            String why = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw ApiException.malformed("the body is not valid JSON: " + why);
        }
        if (n == null || !n.isObject()) {
            throw ApiException.malformed("the body must be a JSON object; got " + (n == null ? "nothing" : Inputs.kind(n)));
        }
        return (ObjectNode) n;
    }

    static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An optional boolean field, or the default; anything else is a 422 naming it. */
    static boolean bool(JsonNode obj, String field, boolean dflt) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw ApiException.invalid("'" + field + "' must be true or false; got " + Inputs.kind(v), field);
        }
        return v.asBoolean();
    }

    /** An optional string field, or null. */
    static String string(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.invalid("'" + field + "' must be a string; got " + Inputs.kind(v), field);
        }
        return v.asText();
    }

    /** An optional positive integer field at most {@code max}, or null. */
    static Integer positive(JsonNode obj, String field, int max) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1 || v.asInt() > max) {
            throw ApiException.invalid("'" + field + "' must be an integer from 1 to " + max + "; got " + v, field);
        }
        return v.asInt();
    }
}
