package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.testing.HfFixture;
import dev.sentemb.weights.HfCheckpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one layer loop on every architecture (transformers' tiny checkpoints): any layer's states can be
 * read out, a hook sees exactly those states between blocks and can change what follows, and the shared
 * prefix cache (OPT's included) gives bit for bit the whole prompts' states at every layer.
 */
class LayerChoiceTest {

    /** Every fixture prompt behind one common prefix: the first prompt's ids. */
    private static List<int[]> behind(int[] prefix, List<int[]> prompts) {
        List<int[]> out = new ArrayList<>();
        for (int[] p : prompts) {
            int[] ids = Arrays.copyOf(prefix, prefix.length + p.length);
            System.arraycopy(p, 0, ids, prefix.length, p.length);
            out.add(ids);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"opt", "opt-proj", "llama", "qwen2", "gemma3"})
    void everyLayerReadsOutExactlyWithAndWithoutAPrefix(String name) {
        HfFixture f = HfFixture.load(name);
        try (Kernels kernels = Kernels.vector(2); HfCheckpoint ckpt = HfCheckpoint.open(f.dir());
             TransformerModel m = HfModels.load(ckpt, kernels, false, null)) {
            int layers = m.config().layers();
            int[] prefix = f.ids().get(0);
            List<int[]> prompts = behind(prefix, f.ids());
            List<int[]> suffixes = f.ids();
            // the states a hook sees after each block of a full pass
            Map<Integer, float[]> seen = new HashMap<>();
            PackedHidden fin = m.forward(prompts, null, new PassOptions(PassOptions.FINAL_LAYER, (layer, s) -> {
                int last = prompts.get(1).length - 1;
                assertEquals(last, s.position(1, last), "a row's position in its prompt");
                seen.put(layer, s.row(1, last));
            }));
            assertEquals(layers + 1, seen.size(), "the hook runs on the embeddings and after every block");
            assertArrayEquals(m.forward(prompts).lastToken(1), fin.lastToken(1), "a reading hook changes nothing");
            assertArrayEquals(fin.lastToken(1), m.forward(prompts, null, PassOptions.layer(layers)).lastToken(1), "layer n is the final output");
            for (int layer = 0; layer <= layers; layer++) {
                PassOptions pass = PassOptions.layer(layer);
                PackedHidden whole = m.forward(prompts, null, pass);
                if (layer < layers) {
                    assertArrayEquals(seen.get(layer), whole.lastToken(1), name + ": layer " + layer + " read out = what the hook saw");
                }
                CachedPrefix cached = m.prefill(prefix, pass);
                assertEquals(layer == layers ? layers : layer, cached.layers().size(), "a prefix keeps the blocks its pass runs");
                PackedHidden after = m.forward(suffixes, cached, pass);
                PackedHidden expected = whole.dropLeading(prefix.length);
                for (int s = 0; s < prompts.size(); s++) {
                    for (int t = 0; t < suffixes.get(s).length; t++) {
                        assertArrayEquals(expected.row(s, t), after.row(s, t), name + " layer " + layer + " prompt " + s + " token " + t);
                    }
                    PromptStates ps = new PromptStates(after, s, cached);
                    assertArrayEquals(whole.meanOf(s), ps.mean(), name + " layer " + layer + ": the mean continues the prefix's sum");
                }
                PassOptions other = PassOptions.layer(layer == 0 ? 1 : 0);
                assertThrows(IllegalArgumentException.class, () -> m.forward(suffixes, cached, other), "a prefix serves its own pass only");
            }
            assertThrows(InvalidInputException.class, () -> m.forward(prompts, null, PassOptions.layer(layers + 1)));
            for (int back = 1; back <= layers + 1; back++) { // Python's hidden_states[-back]
                assertArrayEquals(m.forward(prompts, null, PassOptions.layer(layers + 1 - back)).lastToken(1),
                        m.forward(prompts, null, PassOptions.layer(-back)).lastToken(1), name + ": layer -" + back);
            }
            assertThrows(InvalidInputException.class, () -> m.forward(prompts, null, PassOptions.layer(-(layers + 2))));
        }
    }

    /**
     * A pass for a last-token reader computes its last block after attention for the last rows alone: at every
     * output layer, with and without a cached prefix, it gives bit for bit the last tokens' states of a pass that
     * keeps every row, and refuses to serve any other row or a mean.
     */
    @ParameterizedTest
    @ValueSource(strings = {"opt", "opt-proj", "llama", "qwen2", "gemma3"})
    void aLastTokenPassGivesTheLastStatesOfAFullPass(String name) {
        HfFixture f = HfFixture.load(name);
        try (Kernels kernels = Kernels.vector(2); HfCheckpoint ckpt = HfCheckpoint.open(f.dir());
             TransformerModel m = HfModels.load(ckpt, kernels, false, null)) {
            int layers = m.config().layers();
            int[] prefix = f.ids().get(0);
            List<int[]> prompts = behind(prefix, f.ids());
            List<int[]> suffixes = f.ids();
            for (int layer : new int[] {PassOptions.FINAL_LAYER, -2, 1, layers}) {
                PassOptions full = PassOptions.layer(layer);
                PassOptions last = PassOptions.lastToken(layer);
                PackedHidden whole = m.forward(prompts, null, full);
                PackedHidden lastOnly = m.forward(prompts, null, last);
                CachedPrefix cached = m.prefill(prefix, last);
                PackedHidden after = m.forward(suffixes, cached, last);
                for (int s = 0; s < prompts.size(); s++) {
                    assertArrayEquals(whole.lastToken(s), lastOnly.lastToken(s), name + " layer " + layer + " prompt " + s);
                    assertArrayEquals(whole.lastToken(s), after.lastToken(s), name + " layer " + layer + " prompt " + s + " after the prefix");
                    assertEquals(whole.length(s), lastOnly.length(s), "the sequences keep their lengths");
                    PromptStates ps = new PromptStates(lastOnly, s, null);
                    assertArrayEquals(whole.lastToken(s), ps.last());
                    assertThrows(IllegalStateException.class, ps::mean, "no mean from the last rows");
                    assertThrows(IllegalStateException.class, () -> ps.row(0), "no other row");
                }
                assertThrows(IllegalStateException.class, () -> lastOnly.dropLeading(1));
            }
            // with a hook every row is computed (the hook may read any of them)
            PackedHidden hooked = m.forward(prompts, null, new PassOptions(PassOptions.FINAL_LAYER, (l, st) -> { }, null, true));
            assertFalse(hooked.lastOnly());
            assertArrayEquals(m.forward(prompts).row(1, 0), hooked.row(1, 0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"opt", "llama", "gemma3"})
    void aHookThatWritesChangesOnlyWhatFollowsFromTheRowItWrote(String name) {
        HfFixture f = HfFixture.load(name);
        try (Kernels kernels = Kernels.vector(2); HfCheckpoint ckpt = HfCheckpoint.open(f.dir());
             TransformerModel m = HfModels.load(ckpt, kernels, false, null)) {
            List<int[]> prompts = f.ids().subList(0, 2);
            PackedHidden plain = m.forward(prompts);
            PackedHidden written = m.forward(prompts, null, new PassOptions(PassOptions.FINAL_LAYER, (layer, s) -> {
                if (layer == 1) {
                    s.setRow(0, 0, new float[s.dim()]); // sequence 0's first token: zeros after block 0
                }
            }));
            assertFalse(Arrays.equals(plain.lastToken(0), written.lastToken(0)), "the write flows into the later layers");
            assertArrayEquals(plain.lastToken(1), written.lastToken(1), "another sequence of the pass is untouched");
        }
    }
}
