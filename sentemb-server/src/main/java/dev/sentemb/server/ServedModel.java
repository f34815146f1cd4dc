package dev.sentemb.server;

import dev.sentemb.embed.Encoder;
import dev.sentemb.prompt.Templates;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model as the server serves it: its alias, the encoder (a view over a loaded model and its engine, which
 * other aliases of the same model and adapter share), and the input-token limit. Requests that name a
 * {@code prompt_name} get a view with that template over the same engine.
 */
final class ServedModel {
    final String alias;
    final ModelEntry entry;
    final Encoder encoder;
    final int maxInputTokens;
    private final Map<String, Encoder> byPrompt = new ConcurrentHashMap<>();

    ServedModel(ModelEntry entry, Encoder encoder, int maxInputTokens) {
        this.alias = entry.alias();
        this.entry = entry;
        this.encoder = encoder;
        this.maxInputTokens = maxInputTokens;
    }

    Tokenizer tokenizer() {
        return encoder.tokenizer();
    }

    /** The encoder for a request: this model's, or with the named template (eol or icl:NAME). */
    Encoder encoder(String promptName) {
        if (promptName == null) {
            return encoder;
        }
        if (promptName.contains("*sent_0*") || promptName.length() > 64) { // names only: a client must not grow the view map
            throw ApiException.invalid("prompt_name must name a template (eol or icl:NAME), not spell one", "prompt_name");
        }
        return byPrompt.computeIfAbsent(promptName, name -> {
            try {
                return encoder.withTemplate(Templates.resolve(name));
            } catch (RuntimeException e) {
                throw ApiException.invalid("prompt_name '" + name + "': " + e.getMessage(), "prompt_name");
            }
        });
    }
}
