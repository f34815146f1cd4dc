package dev.sentemb.embed;

import dev.sentemb.engine.EngineInput;
import dev.sentemb.engine.PrefixCache;
import dev.sentemb.model.CachedPrefix;
import dev.sentemb.model.PassOptions;
import dev.sentemb.model.PromptStates;
import dev.sentemb.strategy.EmbeddingStrategy;
import dev.sentemb.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * An encoder's sentences made engine inputs (the strategy's prompts, de-duplicated, tokenized, cut or refused by the
 * prompt limit, each continuing a cached prefix where it can), and the work counters {@link Encoder#stats} reports.
 * Thread-safe: calls share only the counters and the prefix cache.
 */
final class PromptPreparer {
    private final Tokenizer tokenizer;
    private final EmbeddingStrategy strategy;
    private final int maxPromptTokens;
    private final boolean truncate;
    private final int contextLength;
    private final String modelPath;
    private final PrefixCache prefixes; // null when the cache is off
    private final Function<PromptStates, float[]> readout;
    private final LongAdder prompts = new LongAdder();
    private final LongAdder distinctPrompts = new LongAdder();
    private final LongAdder tokensRepresented = new LongAdder();
    private final LongAdder tokensComputed = new LongAdder();
    private final LongAdder truncated = new LongAdder();

    PromptPreparer(Tokenizer tokenizer, EmbeddingStrategy strategy, int maxPromptTokens, boolean truncate, int contextLength, String modelPath,
                   PrefixCache prefixes, Function<PromptStates, float[]> readout) {
        this.tokenizer = tokenizer;
        this.strategy = strategy;
        this.maxPromptTokens = maxPromptTokens;
        this.truncate = truncate;
        this.contextLength = contextLength;
        this.modelPath = modelPath;
        this.prefixes = prefixes;
        this.readout = readout;
    }

    /** Prompts, de-duplicated and tokenized, as engine inputs; what failed before the engine already has its result. */
    Prepared prepare(List<String> sentences, List<float[]> sides) {
        int n = sentences.size();
        List<float[]> slotSides = new ArrayList<>();
        EmbedResult[] results = new EmbedResult[n];
        int[] promptTokens = new int[n];
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
            String prompt;
            int[] ids;
            try {
                prompt = strategy.prompt(s);
            } catch (RuntimeException e) {
                results[i] = EmbedResult.failed("cannot build the prompt: " + e.getMessage());
                continue;
            }
            Integer slot = slotOfPrompt.get(prompt);
            if (slot == null) {
                try {
                    ids = strategy.tokens(prompt, tokenizer);
                } catch (RuntimeException e) {
                    results[i] = EmbedResult.failed("cannot tokenize: " + e.getMessage());
                    continue;
                }
                if (ids.length > maxPromptTokens) {
                    SentenceTruncation.Fitted fit = null;
                    if (truncate) {
                        try {
                            fit = SentenceTruncation.fit(s, ids.length, maxPromptTokens, strategy, tokenizer);
                        } catch (RuntimeException e) {
                            results[i] = EmbedResult.failed("cannot truncate: " + e.getMessage());
                            continue;
                        }
                    }
                    if (fit == null) {
                        String source = maxPromptTokens == contextLength ? "the context length " + modelPath + " states; " : "";
                        results[i] = EmbedResult.failed("prompt has " + ids.length + " tokens, more than the limit of " + maxPromptTokens
                                + (truncate ? " even with the sentence cut to nothing (" + source + "the template is too long)" : " (" + source + "truncation is off)"));
                        continue;
                    }
                    truncated.increment();
                    Integer cutSlot = slotOfPrompt.get(fit.prompt());
                    if (cutSlot != null) { // the cut prompt is one already computed in this call
                        slotOfPrompt.put(prompt, cutSlot);
                        promptTokens[i] = uniqueIds.get(cutSlot).length;
                        owners.get(cutSlot).add(i);
                        continue;
                    }
                    ids = fit.ids();
                    slotOfPrompt.put(fit.prompt(), uniqueIds.size()); // the slot made just below
                }
                if (ids.length == 0) {
                    results[i] = EmbedResult.failed("the prompt has no tokens");
                    continue;
                }
                slot = uniqueIds.size();
                slotOfPrompt.put(prompt, slot);
                uniqueIds.add(ids);
                slotSides.add(sides == null ? null : sides.get(i));
                owners.add(new ArrayList<>());
            }
            promptTokens[i] = uniqueIds.get(slot).length;
            owners.get(slot).add(i);
        }
        int finished = n - owners.stream().mapToInt(List::size).sum();
        for (int slot = 0; slot < uniqueIds.size(); slot++) {
            tokensRepresented.add((long) uniqueIds.get(slot).length * owners.get(slot).size());
        }
        // Prompts that continue a cached prefix come after those computed whole, longest prefix first,
        // each group by length: similar lengths together keep passes evenly sized (no result depends on it).
        int[] group = new int[uniqueIds.size()];
        for (int slot = 0; slot < group.length; slot++) {
            group[slot] = prefixes == null ? 0 : prefixes.match(uniqueIds.get(slot)) + 1;
        }
        List<Integer> order = new ArrayList<>(group.length);
        for (int slot = 0; slot < group.length; slot++) {
            order.add(slot);
        }
        order.sort(Comparator.<Integer>comparingInt(slot -> group[slot]).thenComparingInt(slot -> uniqueIds.get(slot).length));
        List<EngineInput> inputs = new ArrayList<>(order.size());
        PassOptions pass = strategy.pass();
                for (int slot : order) {
            CachedPrefix prefix = group[slot] == 0 ? null : prefixes.get(group[slot] - 1);
            EngineInput in = new EngineInput(uniqueIds.get(slot), prefix, pass, readout, slotSides.get(slot));
            tokensComputed.add(in.computedTokens());
            inputs.add(in);
        }
        prompts.add(n);
        distinctPrompts.add(uniqueIds.size());
        return new Prepared(results, promptTokens, owners, order, inputs, finished);
    }

    Encoder.Stats stats() {
        return new Encoder.Stats(prompts.sum(), distinctPrompts.sum(), tokensRepresented.sum(),
                tokensComputed.sum() + (prefixes == null ? 0 : prefixes.tokensComputed()), truncated.sum());
    }
}
