package dev.sentemb.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of an embedding request, as both APIs accept them: a string, an array of strings, an array of
 * token ids (one input), an array of arrays of token ids, or (TEI) a mix of strings and id arrays. Errors
 * name the field and the input's index.
 */
final class Inputs {
    private Inputs() {}

    /** One input: text, or the token ids of a text. */
    record Input(String text, int[] ids) {}

    static List<Input> parse(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw ApiException.invalid("'" + field + "' is required", field);
        }
        if (node.isTextual()) {
            return List.of(new Input(node.asText(), null));
        }
        if (!node.isArray()) {
            throw ApiException.invalid("'" + field + "' must be a string, an array of strings, an array of token ids or an array of "
                    + "arrays of token ids; got " + kind(node), field);
        }
        if (node.isEmpty()) {
            throw ApiException.empty("'" + field + "' is an empty list; give at least one input", field);
        }
        if (node.get(0).isNumber()) { // one input given as token ids
            return List.of(new Input(null, ids(node, field, -1)));
        }
        List<Input> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            if (e.isTextual()) {
                out.add(new Input(e.asText(), null));
            } else if (e.isArray()) {
                if (e.isEmpty()) {
                    throw ApiException.invalid("'" + field + "[" + i + "]' is an empty list of token ids", field);
                }
                out.add(new Input(null, ids(e, field, i)));
            } else {
                throw ApiException.invalid("'" + field + "[" + i + "]' must be a string or an array of token ids; got " + kind(e), field);
            }
        }
        return out;
    }

    private static int[] ids(JsonNode a, String field, int index) {
        int[] ids = new int[a.size()];
        for (int j = 0; j < ids.length; j++) {
            JsonNode v = a.get(j);
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
                throw ApiException.invalid("'" + field + (index >= 0 ? "[" + index + "]" : "") + "[" + j + "]' must be a token id "
                        + "(an integer >= 0); got " + v, field);
            }
            ids[j] = v.asInt();
        }
        return ids;
    }

    static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case NULL -> "null";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
