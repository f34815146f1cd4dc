package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.testing.TestModels;
import dev.sentemb.weights.GgufFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A forward pass that continues a cached prefix gives the whole prompts' states, bit for bit. */
class PrefixForwardTest {

    @ParameterizedTest
    @ValueSource(strings = {"smollm2-135m", "gemma3-270m"})
    void suffixesAfterACachedPrefixEqualTheWholePrompts(String name) {
        // real ICL prompts share their demonstration and template head: take their common leading ids
        List<int[]> all = HfReference.oracle(name, "icl").ids();
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; prompts.size() < 12; i += 7) prompts.add(all.get(i));
        int p = commonPrefix(prompts);
        assertTrue(p > 10, "the ICL prompts share only " + p + " ids");
        checkCachedEqualsWhole(name, Arrays.copyOf(prompts.get(0), p), prompts);
    }

    /**
     * Gemma's local layers see only the last 512 positions: a prefix longer than the window, continued
     * by suffixes that straddle the window's edge, must give what the whole prompts give.
     */
    @Test
    void gemmaPrefixLongerThanTheSlidingWindow() {
        int[] longIds = HfReference.load("/oracle/gemma3-270m/long.jsonl", "/oracle/gemma3-270m/long.hf.last.npy", null).ids().get(0);
        assertTrue(longIds.length >= 700, "long prompt of " + longIds.length + " ids");
        int p = 530;
        List<int[]> prompts = List.of(Arrays.copyOf(longIds, p + 1), Arrays.copyOf(longIds, p + 40), longIds);
        checkCachedEqualsWhole("gemma3-270m", Arrays.copyOf(longIds, p), prompts);
    }

    private static void checkCachedEqualsWhole(String name, int[] prefixIds, List<int[]> prompts) {
        int p = prefixIds.length;
        List<int[]> suffixes = prompts.stream().map(ids -> Arrays.copyOfRange(ids, p, ids.length)).toList();
        try (GgufFile file = GgufFile.open(TestModels.require(name)); TransformerModel model = ModelLoader.load(file, 2)) {
            CachedPrefix prefix = model.prefill(prefixIds);
            assertEquals(model.config().layers(), prefix.layers().size(), "the model caches every layer");
            PackedHidden cached = model.forward(suffixes, prefix);
            PackedHidden whole = model.forward(prompts);
            // the interface's specification: the whole prompts' rows without the prefix's
            PackedHidden recomputed = whole.dropLeading(p);
            for (int s = 0; s < prompts.size(); s++) {
                assertEquals(suffixes.get(s).length, cached.length(s));
                for (int t = 0; t < suffixes.get(s).length; t++) {
                    assertArrayEquals(whole.row(s, p + t), cached.row(s, t), name + " prompt " + s + " token " + t);
                    assertArrayEquals(whole.row(s, p + t), recomputed.row(s, t), name + " recomputed prompt " + s + " token " + t);
                }
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
