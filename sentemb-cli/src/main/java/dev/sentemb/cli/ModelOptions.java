package dev.sentemb.cli;

import dev.sentemb.embed.Encoder;
import dev.sentemb.embed.ModelRegistry;
import dev.sentemb.embed.ModelStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that loads a model shares. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, defaultValue = ModelRegistry.DEFAULT_MODEL, paramLabel = "NAME|PATH",
            description = "A model name (smollm2-135m, qwen2.5-coder-0.5b, qwen2.5-coder-1.5b, gemma3-270m; fetched on first use) "
                    + "or the path of a .gguf file. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--template", defaultValue = "eol", paramLabel = "TEMPLATE",
            description = "eol (This sentence : \"[X]\" means in one word:\"), icl:<name> (a reference demonstration, e.g. "
                    + "icl:smoking, icl:opt-1.3b, icl:best: the winner of search-demos for this model), or a template in the reference's underscore form with *sent_0*. Default: ${DEFAULT-VALUE}.")
    String template;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads. Default: all cores.")
    Integer threads;

    /** The model file, fetched into the cache first if it is a known name and absent. */
    Path resolveModel() {
        return ModelStore.standard().resolve(model, Progress.forFetch(model));
    }

    /** The template as given, with {@code icl:best} replaced by the stored winner of search-demos for this model. */
    String templateSpec() {
        if (!"icl:best".equals(template)) {
            return template;
        }
        return dev.sentemb.eval.search.DemoStore.best(ModelStore.standard().home(), model).orElseThrow(() -> new IllegalArgumentException(
                "no stored demonstration for " + model + " (" + dev.sentemb.eval.search.DemoStore.fileFor(ModelStore.standard().home(), model)
                        + "); run: sentemb search-demos --model " + model));
    }

    Encoder.Builder encoder() {
        Encoder.Builder b = Encoder.builder(model).template(templateSpec()).fetchProgress(Progress.forFetch(model));
        if (threads != null) {
            b.threads(threads);
        }
        return b;
    }
}
