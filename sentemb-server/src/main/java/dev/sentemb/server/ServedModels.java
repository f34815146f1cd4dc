package dev.sentemb.server;

import dev.sentemb.embed.Encoder;
import dev.sentemb.engine.EmbeddingEngine;
import dev.sentemb.eval.search.DemoStore;
import dev.sentemb.kernel.Parallel;
import dev.sentemb.load.ModelSpec;
import dev.sentemb.load.ModelStore;
import dev.sentemb.model.PassOptions;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.prompt.Templates;
import dev.sentemb.strategy.Pooling;
import dev.sentemb.strategy.EmbeddingStrategy;
import dev.sentemb.strategy.EnsembleStrategy;
import dev.sentemb.strategy.Strategies;
import dev.sentemb.strategy.PromptEolStrategy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Loads what the server serves: each distinct model and adapter once (weights, engine, prefix cache), on the
 * application's one compute pool; aliases of the same model with other templates or pooling are views over
 * that engine, so their requests share forward passes.
 */
final class ServedModels {
    private ServedModels() {}

    /** The served models, in order, and the encoders that own a loaded model (to close). */
    record Loaded(List<ServedModel> served, List<Encoder> owners) {}

    static Loaded load(ServeConfig c, Parallel pool, Consumer<String> log) {
        Map<String, Encoder> bases = new LinkedHashMap<>();
        List<ServedModel> served = new ArrayList<>();
        try {
            for (ModelEntry raw : c.models()) {
                ModelEntry e = raw.withDefaults(c.template(), c.adapter(), c.pooling());
                EmbeddingStrategy strategy = strategy(e);
                String key = e.model() + "\u0000" + (e.adapter() == null ? "" : e.adapter());
                Encoder base = bases.get(key);
                Encoder enc;
                if (base == null) {
                    long t0 = System.nanoTime();
                    ModelSpec spec = ModelSpec.of(e.model()).withPackedBytes(c.packedWeightBytes());
                    if (e.adapter() != null) {
                        spec = spec.withAdapter(Path.of(e.adapter()).toString(), true);
                    }
                    base = Encoder.builder(spec).strategy(strategy).pool(pool)
                            .engine(EmbeddingEngine.Options.DEFAULT.withBatchTokens(c.maxBatchTokens()).withMaxQueued(c.maxQueuedInputs()))
                            .build();
                    bases.put(key, base);
                    enc = base;
                    log.accept(String.format("loaded %s%s in %.1f s (%d dimensions, %s)", e.model(),
                            e.adapter() == null ? "" : " + " + e.adapter(), (System.nanoTime() - t0) / 1e9, base.dimension(), base.kernels()));
                } else {
                    enc = base.withStrategy(strategy);
                }
                int overhead = enc.promptOverhead();
                int context = enc.config().contextLength();
                int limit = c.maxInputTokens() != null ? c.maxInputTokens() : Math.max(1, context - overhead);
                served.add(new ServedModel(e, enc, limit));
            }
        } catch (RuntimeException ex) {
            bases.values().forEach(Encoder::close);
            throw ex;
        }
        return new Loaded(served, List.copyOf(bases.values()));
    }

    /**
     * The entry's strategy: a named one (a prompt family takes the entry's template, when given, over its own;
     * an ensemble's or a staged strategy's several passes a sentence are all submitted for the request), else PromptEOL with the
     * entry's template and pooling; or the mean over a template file's templates, with the entry's pooling.
     */
    private static EmbeddingStrategy strategy(ModelEntry e) {
        Pooling pooling = Pooling.parse(e.pooling());
        if (e.templates() != null) {
            return EnsembleStrategy.ofTemplateFile(Path.of(e.templates()), pooling, PassOptions.FINAL_LAYER);
        }
        if (e.strategy() == null) {
            return new PromptEolStrategy(template(e, e.template()), pooling, PassOptions.FINAL_LAYER);
        }
        Strategies.Named named = Strategies.require(e.strategy());
        if (named.promptFamily()) {
            return new PromptEolStrategy(template(e, e.template() != null && !e.template().equals("eol") ? e.template() : named.template()),
                    named.pooling(), named.layer());
        }
        return named.strategy();
    }

    private static PromptTemplate template(ModelEntry e, String spec) {
        if ("icl:best".equals(spec)) {
            String best = DemoStore.best(ModelStore.standard().home(), e.model()).orElseThrow(() -> new IllegalArgumentException(
                    "no stored demonstration for " + e.model() + "; run: sentemb search-demos --model " + e.model()));
            return Templates.resolve(best);
        }
        return Templates.resolve(spec);
    }
}
