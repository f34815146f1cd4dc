package dev.sentemb.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code --model} value: {@code [ALIAS=]MODEL[,template=T][,adapter=DIR][,pooling=last|mean][,strategy=S][,templates=FILE]}. Requests
 * pick a served model by its alias in their {@code model} field; without an alias the model's own name is
 * the alias. Options left out take the server-wide {@code --template}, {@code --adapter} and {@code --pooling}.
 *
 * @param alias    what requests call it
 * @param model    a registry name, a GGUF path, an HF directory or a cached HF id
 * @param template a template spec (eol, icl:NAME, icl:best, or a literal), or null for the server's
 * @param adapter  a PEFT adapter directory, or null for the server's
 * @param pooling  last or mean, or null for the server's
 * @param strategy a named strategy ({@link dev.sentemb.strategy.Strategies#NAMES}), or null: PromptEOL with the template and pooling
 * @param templates a template file (one a line) whose templates' embeddings are averaged, with the pooling; or null
 */
public record ModelEntry(String alias, String model, String template, String adapter, String pooling, String strategy, String templates) {
    public ModelEntry {
        if (alias == null || alias.isBlank() || model == null || model.isBlank()) {
            throw new IllegalArgumentException("a served model needs a name: --model [ALIAS=]MODEL[,template=...][,adapter=...][,pooling=...][,strategy=...][,templates=...]");
        }
    }

    /** Parses one {@code --model} value. */
    public static ModelEntry parse(String value) {
        String[] parts = value.split(",");
        String head = parts[0].strip();
        String alias = null, model = head;
        int eq = head.indexOf('=');
        if (eq > 0) {
            alias = head.substring(0, eq).strip();
            model = head.substring(eq + 1).strip();
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int e = p.indexOf('=');
            if (e <= 0) {
                throw new IllegalArgumentException("--model " + value + ": '" + p + "' is not KEY=VALUE (template, adapter, pooling, strategy or templates)");
            }
            String key = p.substring(0, e).strip();
            if (!key.equals("template") && !key.equals("adapter") && !key.equals("pooling") && !key.equals("strategy") && !key.equals("templates")) {
                throw new IllegalArgumentException("--model " + value + ": unknown option '" + key + "'; expected template, adapter, pooling, strategy or templates");
            }
            if (opts.put(key, p.substring(e + 1).strip()) != null) {
                throw new IllegalArgumentException("--model " + value + ": '" + key + "' given twice");
            }
        }
        if (model.isEmpty()) {
            throw new IllegalArgumentException("--model " + value + ": no model after the alias");
        }
        if (opts.containsKey("templates") && (opts.containsKey("template") || opts.containsKey("strategy"))) {
            throw new IllegalArgumentException("--model " + value + ": templates= is an ensemble of its own; it takes pooling=, not "
                    + (opts.containsKey("template") ? "template=" : "strategy="));
        }
        return new ModelEntry(alias != null ? alias : model, model, opts.get("template"), opts.get("adapter"), opts.get("pooling"),
                opts.get("strategy"), opts.get("templates"));
    }

    /** This entry with the server-wide defaults filled in. */
    ModelEntry withDefaults(String template, String adapter, String pooling) {
        return new ModelEntry(alias, model, this.template != null ? this.template : template, this.adapter != null ? this.adapter : adapter,
                this.pooling != null ? this.pooling : pooling, strategy, templates);
    }
}
