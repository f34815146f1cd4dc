package dev.sentemb.cli;

import dev.sentemb.embed.Encoder;
import dev.sentemb.eval.search.DemoStore;
import dev.sentemb.load.ModelRegistry;
import dev.sentemb.load.ModelSpec;
import dev.sentemb.load.ModelStore;
import dev.sentemb.model.PassOptions;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.prompt.Templates;
import dev.sentemb.strategy.ContrastivePromptingStrategy;
import dev.sentemb.strategy.EmbeddingStrategy;
import dev.sentemb.strategy.EnsembleStrategy;
import dev.sentemb.strategy.LayerMeanStrategy;
import dev.sentemb.strategy.Pooling;
import dev.sentemb.strategy.PromptEolStrategy;
import dev.sentemb.strategy.Strategies;
import dev.sentemb.strategy.TokenPrependingStrategy;
import dev.sentemb.tokenizer.HfTokenizers;
import dev.sentemb.tokenizer.Tokenizer;
import dev.sentemb.tokenizer.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that loads a model shares: which model, adapter, threads, and how it embeds. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, defaultValue = ModelRegistry.DEFAULT_MODEL, paramLabel = "NAME|PATH",
            description = "A model name (smollm2-135m, qwen2.5-coder-0.5b, qwen2.5-coder-1.5b, gemma3-270m; fetched on first use), "
                    + "the path of a .gguf file or of a Hugging Face model directory, or a Hugging Face model id (org/name[@rev]) "
                    + "already in the local Hugging Face cache. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "A PEFT LoRA adapter directory (adapter_config.json + adapter_model.safetensors or .bin) to apply "
                    + "to the model (GGUF or Hugging Face, any architecture).")
    Path adapter;

    @Option(names = "--adapter-on-the-fly",
            description = "Apply the adapter as a low-rank update at run time instead of merging it into the weights.")
    boolean adapterOnTheFly;

    @Option(names = "--q8", description = "Quantize a Hugging Face model's weights to Q8_0 on load (a quarter of the fp32 memory).")
    boolean q8;

    @Option(names = "--template", paramLabel = "TEMPLATE",
            description = "eol (This sentence : \"[X]\" means in one word:\"), pretcot or ke (Zhang et al. 2024's prompts), icl:<name> (a reference demonstration, e.g. "
                    + "icl:smoking, icl:opt-1.3b, icl:best: the winner of search-demos for this model), or a template in the reference's underscore form with *sent_0*. Default: eol, or the --strategy's.")
    String template;

    @Option(names = "--templates", paramLabel = "FILE",
            description = "Several templates, one a line (each in any --template form; blank lines and # comments skipped): a sentence's "
                    + "embedding is the mean of its embeddings under every template, as MetaEOL averages its prompts, each read with "
                    + "--pooling and --layer. One pass per template and sentence; each template's head is computed once.")
    Path templates;

    @Option(names = "--strategy", paramLabel = "NAME",
            description = "A named embedding strategy, set as its authors set it: prompteol (default), pretcot, ke (Pretended CoT and "
                    + "Knowledge Enhancement, Zhang et al. 2024: their prompt, read at hidden_states[-2]; --template or --layer given too "
                    + "override its parts), echo (Springer et al. 2024: the sentence twice, the mean over the second copy), metaeol (Lei et al. 2024: "
                    + "eight meta-task prompts, their last-token embeddings averaged), tp (Token Prepending, Fu et al. 2025: a placeholder before the "
                    + "sentence carries the last token's state into the early layers; over --template, layers --tp-layers), cp (Contrastive Prompting, "
                    + "Cheng et al. 2025: an auxiliary prompt's heads' output subtracted at one block; over --template, settings --cp-settings).")
    String strategy;

    @Option(names = "--tp-layers", paramLabel = "START:EXIT@OUTPUT",
            description = "With --strategy tp: the blocks START..EXIT-1 whose placeholder is replaced and the hidden_states index read, e.g. 1:7@27 "
                    + "(the authors' Llama-2-7B setting). Default: that range scaled to the model's depth, read at 27 on a 32-block model and "
                    + "at the final layer on others (PretCoT/KE templates: -2).")
    String tpLayers;

    @Option(names = "--cp-settings", paramLabel = "LAYERxCOEFF@OUTPUT",
            description = "With --strategy cp: the steered block (0-based), the coefficient (1/alpha: the paper's CP-NS; 'norm': CP-NR, the "
                    + "difference keeps the heads' norm) and the hidden_states index read, e.g. 4x0.5@27 (the authors' Llama-2-7B PromptEOL "
                    + "setting). Default: the authors' setting for the template (PretCoT, KE: block 6, 1/3; KE read at -2), the block scaled to the "
                    + "model's depth, read at 27 on a 32-block model and at the final layer on others.")
    String cpSettings;

    @Option(names = "--pooling", defaultValue = "last", paramLabel = "last|mean",
            description = "The prompt's last token (PromptEOL) or the mean over its tokens. Default: ${DEFAULT-VALUE}.")
    String pooling;

    @Option(names = "--layer", paramLabel = "N|FROM:TO",
            description = "Read the hidden states of layer N (0 = embeddings, as Hugging Face's hidden_states index; negative counts from the end, "
                    + "-1 the final norm's output, -2 the residual stream before the last block) instead of the final norm's output; "
                    + "earlier layers cost less. FROM:TO: the last token's states averaged over hidden_states[FROM..TO] (both included; with last "
                    + "pooling, on the prompt strategies or tp). Default: the final layer, or the --strategy's.")
    String layer;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads. Default: all cores.")
    Integer threads;

    @Option(names = "--packed-weights", paramLabel = "MB|auto", defaultValue = "auto", converter = PackedWeightsOption.class,
            description = "Keep up to MB megabytes of projection weights decoded (fp32, 4 bytes a weight) so passes skip decoding "
                    + "them, once small passes (under 512 tokens: concurrent single sentences) dominate; a run of large passes "
                    + "never packs. 0: never. auto: a quarter of the JVM's direct-memory limit (its maximum heap unless "
                    + "-XX:MaxDirectMemorySize is set), at most 1024. Default: ${DEFAULT-VALUE}.")
    long packedBytes;

    /** --packed-weights: megabytes (0 or more) in bytes, or auto ({@link ModelSpec#AUTO_PACKED}); anything else is a usage error. */
    static final class PackedWeightsOption implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            if (value.equalsIgnoreCase("auto")) {
                return ModelSpec.AUTO_PACKED;
            }
            try {
                long mb = Long.parseLong(value.trim());
                if (mb >= 0 && mb <= (Long.MAX_VALUE >> 20)) {
                    return mb << 20;
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new picocli.CommandLine.TypeConversionException("a number of megabytes (0 or more) or auto, not '"
                    + dev.sentemb.SentembException.capped(value) + "'");
        }
    }

    /** --packed-weights as given: "auto" or megabytes. */
    String packedWeightsText() {
        return packedBytes == ModelSpec.AUTO_PACKED ? "auto" : String.valueOf(packedBytes >> 20);
    }

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "The longest prompt embedded, in tokens, the template included (sentemb info shows the model's context). "
                    + "A longer one is skipped with an error, or cut with --truncate. Default and upper bound: the model's context length.")
    Integer maxTokens;

    @Option(names = "--truncate", description = "Cut a sentence whose prompt is over the limit to fit it: the sentence loses its last tokens, "
            + "the template none; the embedding is the cut sentence's. Default: such sentences are skipped with an error.")
    boolean truncate;

    /** The model file, fetched into the cache first if it is a known name and absent. */
    Path resolveModel() {
        return ModelStore.standard().resolve(model, Progress.forFetch(model));
    }

    /** The tokenizer of the model (a GGUF file's, or a Hugging Face directory's tokenizer files). */
    Tokenizer tokenizer() {
        Path p = resolveModel();
        return Files.isDirectory(p) ? HfTokenizers.fromDirectory(p) : Tokenizers.fromGguf(p);
    }

    /** The named strategy, if one was given. */
    Strategies.Named named() {
        return strategy == null ? null : Strategies.require(strategy);
    }

    /** The template as given (or the strategy's; eol by default), {@code icl:best} replaced by the stored winner of search-demos. */
    String templateSpec() {
        if (templates != null) {
            return "templates:" + templates.getFileName();
        }
        String template = template();
        if (!"icl:best".equals(template)) {
            return template;
        }
        return DemoStore.best(ModelStore.standard().home(), model).orElseThrow(() -> new IllegalArgumentException(
                "no stored demonstration for " + model + " (" + DemoStore.fileFor(ModelStore.standard().home(), model)
                        + "); run: sentemb search-demos --model " + model));
    }

    /** The template option's value: as given, else the strategy's, else eol. */
    String template() {
        return template != null ? template : strategy != null ? named().template() : "eol";
    }

    /** A layer range (--layer FROM:TO), or null. */
    private String range() {
        return layer != null && layer.contains(":") ? layer : null;
    }

    /** The layer read: as given, else the strategy's, else the final layer. */
    int layer() {
        if (layer == null) {
            return strategy != null ? named().layer() : PassOptions.FINAL_LAYER;
        }
        try {
            return Integer.parseInt(layer.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--layer '" + layer + "': expected a hidden_states index N or a range FROM:TO");
        }
    }

    /** The read-out, as the eval cache and reports name it: the pooling, and the layer when it is not the final one. */
    String readout() {
        String r;
        if ("tp".equals(strategy) || "cp".equals(strategy)) {
            String settings = "tp".equals(strategy) ? tpLayers : cpSettings;
            r = named().readout() + (settings == null ? "" : settings.strip());
        } else if (templates != null) {
            r = layer() == PassOptions.FINAL_LAYER ? pooling : pooling + "@layer" + layer();
        } else if (ownStrategy()) {
            r = named().readout();
        } else {
            r = range() != null ? pooling : layer() == PassOptions.FINAL_LAYER ? pooling : pooling + "@layer" + layer();
        }
        if (range() != null) {
            r += "@layers" + range().strip();
        }
        return truncate ? r + "@truncate" + (maxTokens == null ? "" : maxTokens) : r;
    }

    /**
     * Whether --strategy names one with a prompt of its own shape (echo, metaeol; tp and cp, which take a --template), which
     * --pooling and --layer cannot change (tp: but for a layer range), or --templates gives an ensemble (which takes them).
     */
    boolean ownStrategy() {
        if (templates != null) {
            if (template != null || strategy != null || tpLayers != null || cpSettings != null || range() != null) {
                throw new IllegalArgumentException("--templates is an ensemble of its own: it takes --pooling and --layer N, not "
                        + (template != null ? "--template" : strategy != null ? "--strategy" : tpLayers != null ? "--tp-layers"
                        : cpSettings != null ? "--cp-settings" : "a layer range (--layer FROM:TO)"));
            }
            return true;
        }
        if (strategy == null || named().promptFamily()) {
            return false;
        }
        boolean overTemplate = strategy.equals("tp") || strategy.equals("cp");
        if ((template != null && !overTemplate) || !pooling.equals("last") || (layer != null && !(strategy.equals("tp") && range() != null))) {
            throw new IllegalArgumentException("--strategy " + strategy + " sets its own " + (overTemplate ? "" : "prompt and ") + "read-out; "
                    + (overTemplate ? "--pooling and --layer N" : "--template, --pooling and --layer") + " apply to the prompt strategies (prompteol, pretcot, ke)"
                    + (strategy.equals("tp") ? "; tp takes --tp-layers, and --layer FROM:TO for a mean over layers" : strategy.equals("cp") ? "; cp takes --cp-settings" : ""));
        }
        if ((tpLayers != null && !strategy.equals("tp")) || (cpSettings != null && !strategy.equals("cp"))) {
            throw new IllegalArgumentException(tpLayers != null ? "--tp-layers goes with --strategy tp" : "--cp-settings goes with --strategy cp");
        }
        return true;
    }

    /** The strategy a command runs, with every option applied. */
    EmbeddingStrategy strategy() {
        if (!ownStrategy() && (tpLayers != null || cpSettings != null)) {
            throw new IllegalArgumentException(tpLayers != null ? "--tp-layers goes with --strategy tp" : "--cp-settings goes with --strategy cp");
        }
        EmbeddingStrategy s;
        if (templates != null) {
            s = EnsembleStrategy.ofTemplateFile(templates, Pooling.parse(pooling), layer());
        } else if ("tp".equals(strategy)) {
            s = new TokenPrependingStrategy(Templates.resolve(templateSpec()), tpLayers == null ? null : TokenPrependingStrategy.Layers.parse(tpLayers));
        } else if ("cp".equals(strategy)) {
            s = new ContrastivePromptingStrategy(Templates.resolve(templateSpec()), PromptTemplate.of(ContrastivePromptingStrategy.IRRELEVANT),
                    cpSettings == null ? null : ContrastivePromptingStrategy.Settings.parse(cpSettings));
        } else if (ownStrategy()) {
            s = named().strategy();
        } else {
            s = new PromptEolStrategy(Templates.resolve(templateSpec()), Pooling.parse(pooling), range() != null ? PassOptions.FINAL_LAYER : layer());
        }
        return range() != null ? LayerMeanStrategy.parse(s, range()) : s;
    }

    /** The model, adapter and quantization these options name (what the encoder is opened from). */
    dev.sentemb.load.ModelSpec spec() {
        return dev.sentemb.load.ModelSpec.of(model).withAdapter(adapter == null ? null : adapter.toString(), !adapterOnTheFly).withQuantizeQ8(q8);
    }

    Encoder.Builder encoder() {
        Encoder.Builder b = Encoder.builder(spec()).fetchProgress(Progress.forFetch(model)).packedWeights(packedBytes);
        if (ownStrategy() || range() != null) {
            b.strategy(strategy());
        } else {
            b.template(templateSpec()).pooling(Pooling.parse(pooling)).layer(layer());
            if (tpLayers != null || cpSettings != null) {
                strategy(); // refuses the stray setting
            }
        }
        if (threads != null) {
            b.threads(threads);
        }
        if (maxTokens != null) {
            b.maxPromptTokens(maxTokens);
        }
        return b.truncate(truncate);
    }
}
