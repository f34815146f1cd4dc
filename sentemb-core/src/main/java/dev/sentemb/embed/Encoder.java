package dev.sentemb.embed;

import dev.sentemb.SentembException;
import dev.sentemb.engine.PrefixCache;
import dev.sentemb.model.CachedPrefix;
import dev.sentemb.model.PackedHidden;
import dev.sentemb.model.TransformerModel;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.prompt.Templates;
import dev.sentemb.tokenizer.Tokenizer;
import dev.sentemb.weights.GgufFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * The public entry point: a decoder LLM used as a PromptEOL sentence encoder.
 *
 * <pre>{@code
 * try (Encoder enc = Encoder.load("smollm2-135m")) {
 *     float[][] v = enc.embed(List.of("A man plays a guitar.", "Someone is making music."));
 *     double sim = Similarity.cosine(v[0], v[1]);
 * }
 * }</pre>
 *
 * Thread-safe: concurrent callers share the memory-mapped weights; each call owns its activations.
 * Identical prompts within a call are computed once; the template's head is computed once per
 * encoder and its keys/values reused (shared-prefix cache); sequences are packed without padding, so
 * a sentence's embedding does not depend on what else is in the call.
 */
public final class Encoder implements AutoCloseable {
    private final LoadedModel loaded;
    private final Tokenizer tokenizer;
    private final TransformerModel model;
    private final PromptTemplate template;
    private final Pooling pooling;
    private final boolean normalize;
    private final int batchTokens;
    private final int maxPromptTokens;
    private final int threads;
    /** Whether closing this encoder closes the model (false for a {@link #withTemplate} view). */
    private final boolean ownsModel;
    private final boolean prefixCacheOn;
    /** The template head's cached keys/values (and hidden-state sum, for mean pooling); null when the cache is off. */
    private final PrefixCache prefixes;
    private final LongAdder prompts = new LongAdder();
    private final LongAdder distinctPrompts = new LongAdder();
    private final LongAdder tokensRepresented = new LongAdder();
    private final LongAdder tokensComputed = new LongAdder();

    private Encoder(Builder b, LoadedModel loaded) {
        this(loaded, true, b.template, b.pooling, b.normalize, b.batchTokens, b.maxPromptTokens, b.threads, b.prefixCache);
    }

    private Encoder(LoadedModel loaded, boolean ownsModel, PromptTemplate template, Pooling pooling, boolean normalize, int batchTokens,
                    int maxPromptTokens, int threads, boolean prefixCache) {
        this.loaded = loaded;
        this.ownsModel = ownsModel;
        this.prefixCacheOn = prefixCache;
        this.tokenizer = loaded.tokenizer();
        this.model = loaded.model();
        this.threads = threads;
        this.template = template;
        this.pooling = pooling;
        this.normalize = normalize;
        this.batchTokens = batchTokens;
        this.maxPromptTokens = Math.min(maxPromptTokens, model.config().contextLength());
        this.prefixes = prefixCache ? new PrefixCache(model, headCandidates()) : null;
    }

    /**
     * This encoder's model and options with another template, without loading the model again (a
     * demonstration search scores hundreds of templates). The view shares the weights and threads; closing
     * it leaves the model open, which stays this encoder's to close.
     */
    public Encoder withTemplate(PromptTemplate other) {
        return new Encoder(loaded, false, Objects.requireNonNull(other, "template"), pooling, normalize, batchTokens, maxPromptTokens,
                threads, prefixCacheOn);
    }

    /** The template head's ids as the full prompt starts (render strips leading blanks). */
    private List<int[]> headCandidates() {
        return PrefixCache.headCandidates(tokenizer.encode(template.head().stripLeading()));
    }

    /**
     * Loads a model by registry name (fetched on first use), GGUF path, Hugging Face directory or
     * cached Hugging Face model id, with the plain template.
     */
    public static Encoder load(String model) {
        return builder(model).build();
    }

    public static Builder builder(String model) {
        return new Builder(model);
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
     * @param done called with the number of inputs finished so far (for progress bars); may be null
     */
    public List<EmbedResult> embedEach(List<String> sentences, IntConsumer done) {
        int n = sentences.size();
        EmbedResult[] results = new EmbedResult[n];
        // De-duplicate prompts: each distinct prompt is computed once.
        Map<String, Integer> slotOfPrompt = new HashMap<>();
        List<int[]> uniqueIds = new ArrayList<>();
        List<List<Integer>> owners = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String s = sentences.get(i);
            if (s == null) {
                results[i] = EmbedResult.failed("sentence is null");
                continue;
            }
            String prompt = template.render(s);
            Integer slot = slotOfPrompt.get(prompt);
            if (slot == null) {
                int[] ids;
                try {
                    ids = tokenizer.encode(prompt);
                } catch (RuntimeException e) {
                    results[i] = EmbedResult.failed("cannot tokenize: " + e.getMessage());
                    continue;
                }
                if (ids.length > maxPromptTokens) {
                    results[i] = EmbedResult.failed("prompt has " + ids.length + " tokens, more than the limit of " + maxPromptTokens);
                    continue;
                }
                slot = uniqueIds.size();
                slotOfPrompt.put(prompt, slot);
                uniqueIds.add(ids);
                owners.add(new ArrayList<>());
            }
            owners.get(slot).add(i);
        }
        int finished = n - owners.stream().mapToInt(List::size).sum();
        if (done != null && finished > 0) {
            done.accept(finished);
        }
        for (int slot = 0; slot < uniqueIds.size(); slot++) {
            tokensRepresented.add((long) uniqueIds.get(slot).length * owners.get(slot).size());
        }
        // Group the prompts by the cached prefix they continue (group 0: none, computed whole).
        int groups = prefixes == null ? 1 : prefixes.candidateCount() + 1;
        List<List<Integer>> byPrefix = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            byPrefix.add(new ArrayList<>());
        }
        for (int slot = 0; slot < uniqueIds.size(); slot++) {
            byPrefix.get(prefixes == null ? 0 : prefixes.match(uniqueIds.get(slot)) + 1).add(slot);
        }
        for (int g = 0; g < groups; g++) {
            CachedPrefix prefix = g == 0 ? null : prefixes.get(g - 1);
            int skip = prefix == null ? 0 : prefix.length();
            List<Integer> slots = byPrefix.get(g);
            // Similar lengths together keep batches evenly sized; order does not change any result.
            slots.sort(java.util.Comparator.comparingInt(slot -> uniqueIds.get(slot).length));
            int at = 0;
            while (at < slots.size()) {
                int tokens = 0;
                int end = at;
                while (end < slots.size() && (end == at || tokens + uniqueIds.get(slots.get(end)).length - skip <= batchTokens)) {
                    tokens += uniqueIds.get(slots.get(end)).length - skip;
                    end++;
                }
                List<int[]> batch = new ArrayList<>(end - at);
                for (int k = at; k < end; k++) {
                    int[] ids = uniqueIds.get(slots.get(k));
                    batch.add(skip == 0 ? ids : Arrays.copyOfRange(ids, skip, ids.length));
                }
                PackedHidden h = prefix == null ? model.forward(batch) : model.forward(batch, prefix);
                tokensComputed.add(tokens);
                for (int k = at; k < end; k++) {
                    int seq = k - at;
                    float[] v = pooling == Pooling.LAST ? h.lastToken(seq)
                            : prefix == null ? h.meanOf(seq) : h.meanOf(seq, prefix.hiddenSum(), skip);
                    if (normalize) {
                        Similarity.normalize(v);
                    }
                    List<Integer> own = owners.get(slots.get(k));
                    for (int j = 0; j < own.size(); j++) {
                        results[own.get(j)] = EmbedResult.ok(j == 0 ? v : v.clone());
                    }
                    finished += own.size();
                }
                if (done != null) {
                    done.accept(finished);
                }
                at = end;
            }
        }
        prompts.add(n);
        distinctPrompts.add(uniqueIds.size());
        return Arrays.asList(results);
    }

    /**
     * Work counters since this encoder was built: prompts embedded, distinct prompts, prompt tokens
     * represented (every prompt's full length, repeats included) and tokens actually computed (cached
     * prefixes once, then only what follows them). Their ratio is what de-duplication and the prefix
     * cache save.
     */
    public Stats stats() {
        return new Stats(prompts.sum(), distinctPrompts.sum(), tokensRepresented.sum(),
                tokensComputed.sum() + (prefixes == null ? 0 : prefixes.tokensComputed()));
    }

    /** See {@link #stats()}. */
    public record Stats(long prompts, long distinctPrompts, long tokensRepresented, long tokensComputed) {}

    /** The token ids of the prompt this encoder builds for a sentence. */
    public int[] promptIds(String sentence) {
        return tokenizer.encode(template.render(sentence));
    }

    public String prompt(String sentence) {
        return template.render(sentence);
    }

    /** The model's shape. */
    public dev.sentemb.model.ModelConfig config() {
        return model.config();
    }

    /** Kernel threads of this encoder's model. */
    public int threads() {
        return threads;
    }

    public int dimension() {
        return model.outputDim();
    }

    public PromptTemplate template() {
        return template;
    }

    public Pooling pooling() {
        return pooling;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The GGUF file, or null when the model came from a Hugging Face directory. */
    public GgufFile file() {
        return loaded.gguf();
    }

    /** The model's GGUF file or Hugging Face directory. */
    public Path modelPath() {
        return loaded.path();
    }

    @Override
    public void close() {
        if (ownsModel) {
            loaded.close();
        }
    }

    /** Options of an {@link Encoder}; every one has a sensible default. */
    public static final class Builder {
        private final String model;
        private PromptTemplate template = PromptTemplate.eol();
        private Pooling pooling = Pooling.LAST;
        private boolean normalize;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int batchTokens = 1024;
        private int maxPromptTokens = Integer.MAX_VALUE;
        private boolean prefixCache = true;
        private ModelStore store = ModelStore.standard();
        private java.util.function.LongConsumer fetchProgress;
        private Path adapter;
        private boolean mergeAdapter = true;
        private boolean quantizeQ8;

        private Builder(String model) {
            this.model = Objects.requireNonNull(model, "model");
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

        /** Scale every embedding to unit length. */
        public Builder normalize(boolean on) {
            this.normalize = on;
            return this;
        }

        public Builder threads(int n) {
            if (n < 1) {
                throw new SentembException("threads must be at least 1, got " + n);
            }
            this.threads = n;
            return this;
        }

        /** Tokens per packed forward pass: larger batches use the cores better, cost more memory. */
        public Builder batchTokens(int n) {
            if (n < 1) {
                throw new SentembException("batch tokens must be at least 1, got " + n);
            }
            this.batchTokens = n;
            return this;
        }

        /** Prompts longer than this many tokens are rejected (default: the model's context length). */
        public Builder maxPromptTokens(int n) {
            this.maxPromptTokens = n;
            return this;
        }

        /**
         * Compute the template's head (demonstration and text before the sentence) once and reuse its
         * keys/values for every prompt (default on; results are the same bit for bit either way).
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
            this.adapter = dir;
            return this;
        }

        /** Merge the adapter into a dense copy of each target weight (default), or apply it on the fly. */
        public Builder mergeAdapter(boolean merge) {
            this.mergeAdapter = merge;
            return this;
        }

        /** Quantize a Hugging Face checkpoint's matrices to Q8_0 on load (about 1/4 of the fp32 memory). */
        public Builder quantizeQ8(boolean on) {
            this.quantizeQ8 = on;
            return this;
        }

        public Encoder build() {
            Path path = store.resolve(model, fetchProgress);
            LoadedModel loaded = LoadedModel.open(path, threads, adapter, mergeAdapter, quantizeQ8);
            try {
                return new Encoder(this, loaded);
            } catch (RuntimeException e) {
                loaded.close();
                throw e;
            }
        }
    }
}
