package dev.sentemb.cli;

import dev.sentemb.embed.Encoder;
import dev.sentemb.embed.ModelRegistry;
import dev.sentemb.embed.ModelStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that loads a model shares. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, defaultValue = ModelRegistry.DEFAULT_MODEL, paramLabel = "NAME|PATH",
            description = "A model name (smollm2-135m, qwen2.5-coder-0.5b, qwen2.5-coder-1.5b, gemma3-270m; fetched on first use), "
                    + "the path of a .gguf file or of a Hugging Face model directory, or a Hugging Face model id (org/name[@rev]) "
                    + "already in the local Hugging Face cache. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "A PEFT LoRA adapter directory (adapter_config.json + adapter_model.safetensors or .bin) to apply "
                    + "to a Hugging Face model.")
    Path adapter;

    @Option(names = "--adapter-on-the-fly",
            description = "Apply the adapter as a low-rank update at run time instead of merging it into the weights.")
    boolean adapterOnTheFly;

    @Option(names = "--q8", description = "Quantize a Hugging Face model's weights to Q8_0 on load (a quarter of the fp32 memory).")
    boolean q8;

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

    /** The tokenizer of the model (a GGUF file's, or a Hugging Face directory's tokenizer files). */
    dev.sentemb.tokenizer.Tokenizer tokenizer() {
        Path p = resolveModel();
        return java.nio.file.Files.isDirectory(p) ? dev.sentemb.tokenizer.HfTokenizers.fromDirectory(p)
                : dev.sentemb.tokenizer.Tokenizers.fromGguf(p);
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
        Encoder.Builder b = Encoder.builder(model).template(templateSpec()).fetchProgress(Progress.forFetch(model))
                .adapter(adapter).mergeAdapter(!adapterOnTheFly).quantizeQ8(q8);
        if (threads != null) {
            b.threads(threads);
        }
        return b;
    }
}
