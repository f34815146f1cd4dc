package dev.sentemb.embed;

import dev.sentemb.SentembException;
import dev.sentemb.engine.EmbeddingEngine;
import dev.sentemb.engine.EngineFullException;
import dev.sentemb.engine.PrefixCache;
import dev.sentemb.engine.Submission;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.Parallel;
import dev.sentemb.model.PassOptions;
import dev.sentemb.model.TransformerModel;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.prompt.Templates;
import dev.sentemb.strategy.ContrastivePromptingStrategy;
import dev.sentemb.strategy.EmbeddingStrategy;
import dev.sentemb.strategy.EnsembleStrategy;
import dev.sentemb.strategy.Pooling;
import dev.sentemb.strategy.PromptEolStrategy;
import dev.sentemb.tokenizer.Tokenizer;
import dev.sentemb.load.LoadedModel;
import dev.sentemb.load.ModelSpec;
import dev.sentemb.load.ModelStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The public entry point: a decoder LLM used as a sentence encoder, PromptEOL by default.
 *
 * <pre>{@code
 * try (Encoder enc = Encoder.load("smollm2-135m")) {
 *     float[][] v = enc.embed(List.of("A man plays a guitar.", "Someone is making music."));
 *     double sim = Similarity.cosine(v[0], v[1]);
 * }
 * }</pre>
 *
 * An encoder is a strategy over a loaded model's {@link EmbeddingEngine}: a call prepares its sentences
 * on the caller's thread (prompt, de-duplication, tokens, shared prefix) and submits them; the engine
 * batches them with every other caller's. Thread-safe: any number of threads may call one encoder, and
 * their sentences share forward passes. Identical prompts within a call are computed once; the
 * strategy's shared prefix is computed once per encoder; sequences are packed without padding, so a
 * sentence's embedding does not depend on what else is computed with it.
 */
public final class Encoder implements AutoCloseable {
    private final Runtime runtime;
    private final Tokenizer tokenizer;
    private final TransformerModel model;
    private final EmbeddingStrategy strategy;
    private final boolean normalize;
    private final int maxPromptTokens;
    private final boolean truncate;
    private final boolean ownsRuntime;
    /** The strategy's shared prefixes, computed on first use; null when the cache is off. */
    private final PrefixCache prefixes;
    /**
     * An ensemble strategy's parts, or a staged strategy's stages (the auxiliary, then the steered), each a view with its
     * own prefix cache; null for a one-pass strategy.
     */
    private final List<Encoder> parts;
    /** Prompts to engine inputs, and the work counters. */
    private final PromptPreparer preparer;

    /** What views of one loaded model share: the model, its engine and the pool it runs on. */
    private record Runtime(LoadedModel loaded, Kernels kernels, Parallel ownPool, EmbeddingEngine engine, boolean prefixCache,
            boolean ownsModel) implements AutoCloseable {
        @Override
        public void close() {
            if (!ownsModel) {
                engine.close();
                return;
            }
            try (Parallel p = ownPool; Kernels k = kernels; LoadedModel l = loaded; EmbeddingEngine e = engine) {
                // closed in reverse order: the engine stops, then the model and its files, then the kernels and an own pool
            }
        }
    }

    /**
     * An encoder over a model the caller loaded and keeps (training evaluates its live adapter this way):
     * an engine of its own over it, and a prefix cache computed with the weights as they are now; closing
     * the encoder stops that engine and leaves the model and kernels open.
     */
    public static Encoder borrowing(LoadedModel loaded, Kernels kernels, EmbeddingStrategy strategy) {
        EmbeddingEngine eng = new EmbeddingEngine(loaded.model(), EmbeddingEngine.Options.DEFAULT, loaded.path().toString());
        return new Encoder(new Runtime(loaded, kernels, null, eng, true, false), true, strategy, false, Integer.MAX_VALUE, false);
    }

    private Encoder(Runtime runtime, boolean ownsRuntime, EmbeddingStrategy strategy, boolean normalize, int maxPromptTokens, boolean truncate) {
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        this.tokenizer = runtime.loaded().tokenizer();
        this.model = runtime.loaded().model();
        this.strategy = strategy.bind(tokenizer, model.config());
        this.normalize = normalize;
        this.maxPromptTokens = Math.min(maxPromptTokens, model.config().contextLength());
        this.truncate = truncate;
        this.strategy.pass().resolve(model.config().layers()); // a layer the model does not have fails here, not per sentence
        this.prefixes = runtime.prefixCache() ? new PrefixCache(model, this.strategy.prefixCandidates(tokenizer), this.strategy.pass()) : null;
        this.parts = this.strategy instanceof EnsembleStrategy e
                ? e.parts().stream().map(s -> new Encoder(runtime, false, s, false, maxPromptTokens, truncate)).toList()
                : this.strategy instanceof ContrastivePromptingStrategy.Stages st
                ? List.of(new Encoder(runtime, false, st.auxiliary(), false, maxPromptTokens, truncate),
                        new Encoder(runtime, false, st.steered(), normalize, maxPromptTokens, truncate))
                : null;
        this.preparer = new PromptPreparer(tokenizer, this.strategy, this.maxPromptTokens, truncate, model.config().contextLength(),
                String.valueOf(modelPath()), prefixes, this::readout);
    }

    /**
     * This encoder's model and options with another strategy, without loading the model again (a
     * demonstration search scores hundreds of templates). The view shares the weights and the engine, so
     * its sentences and this encoder's share passes; closing it leaves the model open.
     */
    public Encoder withStrategy(EmbeddingStrategy other) {
        return new Encoder(runtime, false, Objects.requireNonNull(other, "strategy"), normalize, maxPromptTokens, truncate);
    }

    /** {@link #withStrategy} with this encoder's PromptEOL pooling and layer and another template. */
    public Encoder withTemplate(PromptTemplate other) {
        return withStrategy(promptEol().withTemplate(Objects.requireNonNull(other, "template")));
    }

    private PromptEolStrategy promptEol() {
        if (strategy instanceof PromptEolStrategy p) {
            return p;
        }
        throw new SentembException("this encoder's strategy is " + strategy.describe() + ", not PromptEOL");
    }

    /**
     * Loads a model by registry name (fetched on first use), GGUF path, Hugging Face directory or
     * cached Hugging Face model id, with the plain template.
     */
    public static Encoder load(String model) {
        return builder(model).build();
    }

    public static Builder builder(String model) {
        return new Builder(ModelSpec.of(model));
    }

    /** A builder for the model, adapter and quantization a spec names (a server config or a Spark job carries one). */
    public static Builder builder(ModelSpec spec) {
        return new Builder(spec);
    }

    /** Embeds each sentence; fails on the first sentence that cannot be embedded. */
    public float[][] embed(List<String> sentences) {
        List<EmbedResult> results = embedEach(sentences, null);
        float[][] out = new float[results.size()][];
        for (int i = 0; i < out.length; i++) {
            EmbedResult r = results.get(i);
            if (!r.isOk()) {
                throw new SentembException("sentence " + i + ": " + r.error());
            }
            out[i] = r.vector();
        }
        return out;
    }

    public float[] embed(String sentence) {
        return embed(List.of(sentence))[0];
    }

    /**
     * Embeds each sentence independently: a sentence that cannot be embedded (too long, null) gets
     * an error result and the others are unaffected. Results are in input order.
     *
     * @param done called on this thread with the number of inputs finished so far (for progress bars); may be null
     */
    public List<EmbedResult> embedEach(List<String> sentences, IntConsumer done) {
        if (parts != null) {
            return strategy instanceof EnsembleStrategy e ? EnsembleRun.embedEach(e, parts, sentences, done, normalize)
                    : StagedRun.embedEach(parts.get(0), parts.get(1), sentences, done);
        }
        return embedEach(sentences, null, done);
    }

    /** {@link #embedEach} with a side vector per sentence for the strategy's hook (a staged strategy's second stage). */
    List<EmbedResult> embedEach(List<String> sentences, List<float[]> sides, IntConsumer done) {
        Prepared p = preparer.prepare(sentences, sides);
        if (done != null && p.finishedBefore() > 0) {
            done.accept(p.finishedBefore());
        }
        float[][] vectors = new float[p.inputs().size()][];
        String[] errors = new String[p.inputs().size()];
        WindowedRun.run(runtime.engine(), p.inputs(), vectors, errors, k -> p.owners().get(p.order().get(k)).size(), p.finishedBefore(), done);
        return p.results(vectors, errors);
    }

    /**
     * Submits the sentences to the engine at once and returns without waiting (a server's request): the
     * handle's {@link PendingEmbeddings#await} gives what {@link #embedEach} would, bit for bit, and
     * {@link PendingEmbeddings#cancel} drops what has not been computed. A queue without room for all of
     * them refuses the whole call at once. An ensemble submits every prompt of every sentence at once; a staged
     * strategy its first stage, and the second when the first is done (from the thread that waits).
     *
     * @throws EngineFullException when the engine's queue cannot take the sentences now
     */
    public PendingEmbeddings submit(List<String> sentences) {
        if (parts != null) {
            return strategy instanceof EnsembleStrategy e ? AveragedPending.submit(e, parts, sentences, normalize)
                    : new StagedPending(parts.get(0).submit(sentences), parts.get(1), sentences);
        }
        Prepared p = preparer.prepare(sentences, null);
        Submission sub = p.inputs().isEmpty() ? null : runtime.engine().submit(p.inputs());
        return new OnePassPending(p, sub);
    }

    /** A staged strategy's second stage: the sentences with their side vectors, waiting for room in the queue. */
    PendingEmbeddings submitWaiting(List<String> sentences, List<float[]> sides) {
        Prepared p = preparer.prepare(sentences, sides);
        Submission sub = p.inputs().isEmpty() ? null : WindowedRun.submitWaiting(runtime.engine(), p.inputs());
        return new OnePassPending(p, sub);
    }

    private float[] readout(dev.sentemb.model.PromptStates states) {
        float[] v = strategy.pool(states);
        if (normalize) {
            Similarity.normalize(v);
        }
        return v;
    }

    /**
     * Work counters since this encoder was built: prompts embedded, distinct prompts, prompt tokens
     * represented (every prompt's full length, repeats included) and tokens actually computed (cached
     * prefixes once, then only what follows them). Their ratio is what de-duplication and the prefix
     * cache save.
     */
    public Stats stats() {
        if (parts != null) {
            return parts.stream().map(Encoder::stats).reduce(Stats::plus).orElseThrow();
        }
        return preparer.stats();
    }

    /** The longest prompt this encoder embeds, in tokens (template included): the builder's limit, at most the model's context. */
    public int maxPromptTokens() {
        return maxPromptTokens;
    }

    /** See {@link #stats()}. */
    /** @param truncated sentences cut to fit the token limit ({@link Builder#truncate}) */
    public record Stats(long prompts, long distinctPrompts, long tokensRepresented, long tokensComputed, long truncated) {
        /** Both counts together (an ensemble's parts). */
        public Stats plus(Stats o) {
            return new Stats(prompts + o.prompts, distinctPrompts + o.distinctPrompts, tokensRepresented + o.tokensRepresented,
                    tokensComputed + o.tokensComputed, truncated + o.truncated);
        }
    }

    /** The token ids of the prompt this encoder builds for a sentence. */
    /** Tokens the strategy puts around a sentence: its (longest) prompt for an empty sentence. */
    public int promptOverhead() {
        return parts != null ? parts.stream().mapToInt(Encoder::promptOverhead).max().orElse(0) : promptIds("").length;
    }

    public int[] promptIds(String sentence) {
        return strategy.tokens(strategy.prompt(sentence), tokenizer);
    }

    public String prompt(String sentence) {
        return strategy.prompt(sentence);
    }

    /** The model's shape. */
    public dev.sentemb.model.ModelConfig config() {
        return model.config();
    }

    /** Threads of the compute pool this encoder's model runs on. */
    public int threads() {
        return runtime.kernels().pool().threads();
    }

    /** The kernels this encoder's model runs on, described (vector width, matmul tile, threads). */
    public String kernels() {
        return runtime.kernels().describe();
    }

    /** The compute pool this encoder's model runs on (shared with other models unless it was given its own). */
    public Parallel pool() {
        return runtime.kernels().pool();
    }

    /** The engine every caller of this loaded model shares (a server or a Spark executor submits to it directly). */
    public EmbeddingEngine engine() {
        return runtime.engine();
    }

    public int dimension() {
        return model.outputDim();
    }

    public EmbeddingStrategy strategy() {
        return strategy;
    }

    /** The PromptEOL template (this encoder's strategy must be PromptEOL). */
    public PromptTemplate template() {
        return promptEol().template();
    }

    /** The PromptEOL pooling (this encoder's strategy must be PromptEOL). */
    public Pooling pooling() {
        return promptEol().pooling();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Bytes of the model's weights on disk (the GGUF file, or the directory's weight files). */
    public long weightBytes() {
        return runtime.loaded().weightBytes();
    }

    /** Bytes of projection weights this model keeps decoded in the matmul's panel layout ({@link Builder#packedWeights}). */
    public long packedWeightBytes() {
        return runtime.loaded().model().packedWeightBytes();
    }

    /** The model's GGUF file or Hugging Face directory. */
    public Path modelPath() {
        return runtime.loaded().path();
    }

    /** The spec the model was opened from (its adapter and quantization change the vectors as much as the file). */
    public ModelSpec spec() {
        return runtime.loaded().spec();
    }

    @Override
    public void close() {
        if (ownsRuntime) {
            runtime.close();
        }
    }

    /** Options of an {@link Encoder}; every one has a sensible default. */
    public static final class Builder {
        private ModelSpec spec;
        private PromptTemplate template = PromptTemplate.eol();
        private Pooling pooling = Pooling.LAST;
        private int layer = PassOptions.FINAL_LAYER;
        private EmbeddingStrategy strategy;
        private boolean normalize;
        private Integer threads;
        private Parallel pool;
        private EmbeddingEngine.Options engine = EmbeddingEngine.Options.DEFAULT;
        private int maxPromptTokens = Integer.MAX_VALUE;
        private boolean truncate;
        private boolean prefixCache = true;
        private ModelStore store = ModelStore.standard();
        private java.util.function.LongConsumer fetchProgress;

        private Builder(ModelSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
        }

        /** A template object, e.g. {@link PromptTemplate#withDemonstration}. */
        public Builder template(PromptTemplate t) {
            this.template = Objects.requireNonNull(t);
            return this;
        }

        /** {@code eol}, {@code icl:<name>}, or a template in the underscore form. */
        public Builder template(String spec) {
            return template(Templates.resolve(spec));
        }

        public Builder pooling(Pooling p) {
            this.pooling = Objects.requireNonNull(p);
            return this;
        }

        /**
         * Which layer's states PromptEOL reads: {@link PassOptions#FINAL_LAYER} (default, the final norm's
         * output) or a Hugging Face {@code hidden_states} index (0 = embeddings); earlier layers cost less.
         */
        public Builder layer(int layer) {
            this.layer = PassOptions.checkLayer(layer);
            return this;
        }

        /** Another strategy than PromptEOL (then template, pooling and layer are ignored). */
        public Builder strategy(EmbeddingStrategy s) {
            this.strategy = Objects.requireNonNull(s);
            return this;
        }

        /** Scale every embedding to unit length. */
        public Builder normalize(boolean on) {
            this.normalize = on;
            return this;
        }

        /** Run on a pool of {@code n} threads of this encoder's own (closed with it) instead of the JVM's shared pool. */
        public Builder threads(int n) {
            if (n < 1) {
                throw new SentembException("threads must be at least 1, got " + n);
            }
            this.threads = n;
            return this;
        }

        /** Run on the application's pool, which the encoder borrows (default: {@link Parallel#common()}). */
        public Builder pool(Parallel p) {
            this.pool = Objects.requireNonNull(p);
            return this;
        }

        /** Tokens per packed forward pass: larger batches use the cores better, cost more memory. */
        public Builder batchTokens(int n) {
            if (n < 1) {
                throw new SentembException("batch tokens must be at least 1, got " + n);
            }
            this.engine = engine.withBatchTokens(n);
            return this;
        }

        /** The engine's scheduler settings (token budget, queue bound, coalescing). */
        public Builder engine(EmbeddingEngine.Options o) {
            this.engine = Objects.requireNonNull(o);
            return this;
        }

        /**
         * Prompts longer than this many tokens (template included) are rejected, or have their sentence cut
         * with {@link #truncate}. Default and upper bound: the model's context length.
         */
        public Builder maxPromptTokens(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("the prompt token limit must be at least 1, not " + n);
            }
            this.maxPromptTokens = n;
            return this;
        }

        /**
         * Cut a sentence whose prompt is over the limit so that it fits (its last tokens go, the template
         * stays whole; the embedding is the cut sentence's), instead of failing that sentence. Default off.
         */
        public Builder truncate(boolean on) {
            this.truncate = on;
            return this;
        }

        /**
         * Compute the strategy's shared prefix (the template's head) once and reuse its keys/values for
         * every prompt (default on; results are the same bit for bit either way).
         */
        public Builder prefixCache(boolean on) {
            this.prefixCache = on;
            return this;
        }

        public Builder store(ModelStore s) {
            this.store = Objects.requireNonNull(s);
            return this;
        }

        /** Receives bytes written while a model is fetched. */
        public Builder fetchProgress(java.util.function.LongConsumer p) {
            this.fetchProgress = p;
            return this;
        }

        /** A PEFT LoRA adapter directory (adapter_config.json + adapter_model.*) to apply; null for none. */
        public Builder adapter(Path dir) {
            this.spec = spec.withAdapter(dir == null ? null : dir.toString(), spec.mergeAdapter());
            return this;
        }

        /** Merge the adapter into a dense copy of each target weight (default), or apply it on the fly. */
        public Builder mergeAdapter(boolean merge) {
            this.spec = spec.withAdapter(spec.adapter(), merge);
            return this;
        }

        /**
         * Keep up to {@code bytes} of the projection weights decoded in the matmul's panel layout (4 bytes a
         * weight; 0: every pass decodes them from the stored encoding). Packing starts once small passes
         * (under 512 tokens: many concurrent single sentences, a server's requests) dominate, and those passes
         * then skip decoding (eight one-sentence callers: ~+30 %); a corpus run of large passes never packs.
         * Default {@link ModelSpec#AUTO_PACKED}: a quarter of the JVM's direct-memory limit (by default its
         * maximum heap), at most 1 GiB, which holds smollm2-135m's projections (0.43 GB) whole. Same bits
         * either way.
         */
        public Builder packedWeights(long bytes) {
            this.spec = spec.withPackedBytes(bytes);
            return this;
        }

        /** Quantize a Hugging Face checkpoint's matrices to Q8_0 on load (about 1/4 of the fp32 memory). */
        public Builder quantizeQ8(boolean on) {
            this.spec = spec.withQuantizeQ8(on);
            return this;
        }

        public Encoder build() {
            dev.sentemb.kernel.VectorSupport.require(); // before a model is fetched or mapped
            EmbeddingStrategy s = strategy != null ? strategy : new PromptEolStrategy(template, pooling, layer);
            Path path = store.resolve(spec.model(), fetchProgress); // the one place a model may be fetched
            Parallel own = pool == null && threads != null ? new Parallel(threads) : null;
            Kernels kernels = Kernels.vector(own != null ? own : pool != null ? pool : Parallel.common());
            LoadedModel loaded = null;
            EmbeddingEngine eng = null;
            try {
                loaded = LoadedModel.open(path, spec, kernels);
                eng = new EmbeddingEngine(loaded.model(), engine, loaded.path().toString());
                return new Encoder(new Runtime(loaded, kernels, own, eng, prefixCache, true), true, s, normalize, maxPromptTokens, truncate);
            } catch (RuntimeException e) {
                new Runtime(loaded, kernels, own, eng, prefixCache, true).close();
                throw e;
            }
        }
    }
}
