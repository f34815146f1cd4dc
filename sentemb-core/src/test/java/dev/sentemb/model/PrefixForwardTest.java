package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentemb.testing.TestModels;
import dev.sentemb.weights.GgufFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A forward pass that continues a cached prefix gives the whole prompts' states, bit for bit. */
class PrefixForwardTest {
    static GgufFile file;
    static TransformerModel model;

    @BeforeAll
    static void load() {
        file = GgufFile.open(TestModels.require("smollm2-135m"));
        model = ModelLoader.load(file, 2);
    }

    @AfterAll
    static void close() {
        model.close();
        file.close();
    }

    @Test
    void suffixesAfterACachedPrefixEqualTheWholePrompts() {
        // real ICL prompts share their demonstration and template head: take their common leading ids
        List<int[]> all = HfReference.oracle("smollm2-135m", "icl").ids();
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; prompts.size() < 12; i += 7) prompts.add(all.get(i));
        int p = commonPrefix(prompts);
        int[] prefixIds = Arrays.copyOf(prompts.get(0), p);
        List<int[]> suffixes = prompts.stream().map(ids -> Arrays.copyOfRange(ids, p, ids.length)).toList();

        CachedPrefix prefix = model.prefill(prefixIds);
        assertEquals(model.config().layers(), prefix.layers().size());
        PackedHidden cached = model.forward(suffixes, prefix);
        PackedHidden whole = model.forward(prompts);
        // the interface's recomputing default is the specification the cache must meet
        PackedHidden recomputed = model.forward(suffixes, new CachedPrefix(prefixIds, List.of()));
        for (int s = 0; s < prompts.size(); s++) {
            assertEquals(suffixes.get(s).length, cached.length(s));
            for (int t = 0; t < suffixes.get(s).length; t++) {
                assertArrayEquals(whole.row(s, p + t), cached.row(s, t), "prompt " + s + " token " + t);
                assertArrayEquals(whole.row(s, p + t), recomputed.row(s, t), "recomputed prompt " + s + " token " + t);
            }
        }
    }

    static int commonPrefix(List<int[]> seqs) {
        int n = 0;
        while (true) {
            for (int[] s : seqs) {
                if (n >= s.length - 1 || s[n] != seqs.get(0)[n]) return n;
            }
            n++;
        }
    }
}
