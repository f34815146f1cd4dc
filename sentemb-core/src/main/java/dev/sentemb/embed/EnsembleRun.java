package dev.sentemb.embed;

import dev.sentemb.strategy.EnsembleStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * An ensemble strategy's call: every part embeds all the sentences (through its own view of the encoder, so each
 * part keeps its shared-prefix cache), then each sentence's vectors are averaged. A sentence that fails in any
 * part fails, naming the part; the others are unaffected.
 */
final class EnsembleRun {
    private EnsembleRun() {}

    static List<EmbedResult> embedEach(EnsembleStrategy ensemble, List<Encoder> parts, List<String> sentences, IntConsumer done,
                                       boolean normalize) {
        int n = sentences.size();
        List<List<EmbedResult>> each = new ArrayList<>(parts.size());
        for (int k = 0; k < parts.size(); k++) {
            long before = (long) k * n;
            // progress in sentences: k parts done, and this part's share of the next
            IntConsumer partDone = done == null ? null : f -> done.accept((int) ((before + f) / parts.size()));
            each.add(parts.get(k).embedEach(sentences, partDone));
        }
        return combine(ensemble, each, n, normalize);
    }

    /** Each sentence's part vectors averaged (a failure in any part fails the sentence, naming the part). */
    static List<EmbedResult> combine(EnsembleStrategy ensemble, List<List<EmbedResult>> each, int n, boolean normalize) {
        List<EmbedResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<float[]> vectors = new ArrayList<>(each.size());
            String error = null;
            for (int k = 0; k < each.size() && error == null; k++) {
                EmbedResult r = each.get(k).get(i);
                if (r.isOk()) {
                    vectors.add(r.vector());
                } else {
                    error = "prompt " + (k + 1) + " of " + each.size() + ": " + r.error();
                }
            }
            if (error != null) {
                out.add(EmbedResult.failed(error));
                continue;
            }
            float[] v = ensemble.combine(vectors);
            if (normalize) {
                Similarity.normalize(v);
            }
            out.add(EmbedResult.ok(v));
        }
        return out;
    }
}
