package dev.sentemb.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A staged strategy's call (Contrastive Prompting): the auxiliary stage embeds every sentence (its vector is what
 * the second stage's hook reads), then the steered stage embeds the sentences whose auxiliary pass succeeded, each
 * with its auxiliary vector as its side vector. Both stages are views of one encoder, so they share its engine and
 * each keeps its own shared-prefix cache. A sentence that fails in either stage fails, naming the stage.
 */
final class StagedRun {
    private StagedRun() {}

    static List<EmbedResult> embedEach(Encoder auxiliary, Encoder steered, List<String> sentences, IntConsumer done) {
        int n = sentences.size();
        List<EmbedResult> first = auxiliary.embedEach(sentences, done == null ? null : f -> done.accept(f / 2));
        List<String> next = new ArrayList<>(n);
        List<float[]> sides = new ArrayList<>(n);
        List<Integer> at = new ArrayList<>(n);
        EmbedResult[] out = new EmbedResult[n];
        for (int i = 0; i < n; i++) {
            EmbedResult r = first.get(i);
            if (r.isOk()) {
                next.add(sentences.get(i));
                sides.add(r.vector());
                at.add(i);
            } else {
                out[i] = EmbedResult.failed("the auxiliary prompt: " + r.error());
            }
        }
        int failedFirst = n - next.size();
        List<EmbedResult> second = steered.embedEach(next, sides, done == null ? null : f -> done.accept((n + failedFirst + f) / 2));
        for (int k = 0; k < second.size(); k++) {
            out[at.get(k)] = second.get(k);
        }
        return List.of(out);
    }
}
