package dev.sentemb.server;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The served models by alias; the first is the default for requests that name none. */
final class Models {
    private final Map<String, ServedModel> byAlias = new LinkedHashMap<>();

    Models(List<ServedModel> models) {
        for (ServedModel m : models) {
            if (byAlias.put(m.alias, m) != null) {
                throw new IllegalArgumentException("two served models are called '" + m.alias + "'; give each an alias (--model ALIAS=MODEL)");
            }
        }
        if (byAlias.isEmpty()) {
            throw new IllegalArgumentException("no model to serve");
        }
    }

    /** The model a request names, or the default for null; an unknown name is a 404. */
    ServedModel get(String name) {
        if (name == null || name.isEmpty()) {
            return byAlias.values().iterator().next();
        }
        ServedModel m = byAlias.get(name);
        if (m == null) {
            throw ApiException.unknownModel(name);
        }
        return m;
    }

    Collection<ServedModel> all() {
        return byAlias.values();
    }
}
