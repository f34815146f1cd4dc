package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.testing.OracleFixture;
import dev.sentemb.testing.TestModels;
import dev.sentemb.tokenizer.Tokenizer;
import dev.sentemb.tokenizer.Tokenizers;
import dev.sentemb.weights.GgufFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gemma 3 270M against transformers (fp32, GGUF dequantized) on prompts longer than its 512-token
 * sliding window, where local and global layers really differ: hidden states at positions on both
 * sides of the window edge and at the last token, all prompts packed in one batch with a short one.
 * Also against llama.cpp where its token ids equal HF's.
 */
class Gemma3ForwardTest {
    private static final String MODEL = "gemma3-270m";

    @Test
    void everySixthLayerIsGlobal() {
        List<Integer> global = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            if (!Gemma3Model.isLocal(i)) {
                global.add(i);
            }
        }
        assertEquals(List.of(5, 11, 17), global);
    }

    @Test
    void longPromptsMatchTransformersAcrossTheWindowEdge() throws IOException {
        List<OracleFixture.Item> items = OracleFixture.items(MODEL, "long.jsonl");
        List<int[]> positions = positions("long.jsonl");
        float[][] last = OracleFixture.matrix(MODEL, "long.hf.last.npy");
        float[][] rows = OracleFixture.matrix(MODEL, "long.hf.rows.npy");
        float[][] lcLast = OracleFixture.matrix(MODEL, "long.llamacpp.last.npy");
        List<OracleFixture.Item> lcItems = OracleFixture.items(MODEL, "long.llamacpp.jsonl");
        // Packed with two prefixes of the first prompt, whose last tokens are HF rows at positions 1 and 511.
        int[] first = items.get(0).ids();
        List<int[]> batch = new ArrayList<>();
        batch.add(first);
        batch.add(Arrays.copyOf(first, 2));
        batch.add(items.get(1).ids());
        batch.add(Arrays.copyOf(first, 512));
        assertTrue(items.get(0).ids().length > 600, "the long prompt has only " + items.get(0).ids().length + " tokens");

        try (GgufFile file = GgufFile.open(TestModels.require(MODEL)); TransformerModel m = ModelLoader.load(file, 2)) {
            Tokenizer tok = Tokenizers.fromGguf(file);
            for (OracleFixture.Item it : items) {
                assertArrayEquals(it.ids(), tok.encode(it.prompt()), "token ids of the long prompt");
            }
            PackedHidden h = m.forward(batch);
            int row = 0;
            double min = 1;
            for (int p = 0; p < items.size(); p++) {
                int seq = 2 * p;
                double c = HfReference.cosine(h.lastToken(seq), last[p]);
                min = Math.min(min, c);
                assertTrue(c >= 0.9999, "prompt " + p + " (" + items.get(p).ids().length + " tokens) last-token cosine " + c);
                for (int pos : positions.get(p)) {
                    double cp = HfReference.cosine(h.row(seq, pos), rows[row++]);
                    min = Math.min(min, cp);
                    assertTrue(cp >= 0.9999, "prompt " + p + " position " + pos + " cosine " + cp);
                }
                // Over 700+ tokens llama.cpp itself drifts from transformers (cos ~0.998, with an fp32 KV
                // cache too: its quantized activations): we must sit exactly where transformers sits.
                if (Arrays.equals(lcItems.get(p).ids(), items.get(p).ids())) {
                    double cl = HfReference.cosine(h.lastToken(seq), lcLast[p]);
                    double hfToLc = HfReference.cosine(last[p], lcLast[p]);
                    assertTrue(cl >= 0.995 && Math.abs(cl - hfToLc) <= 1e-4,
                            "prompt " + p + " cosine vs llama.cpp " + cl + ", transformers vs llama.cpp " + hfToLc);
                    System.out.printf("gemma3 long prompt %d (%d tokens): cos vs llama.cpp %.6f (transformers vs llama.cpp %.6f)%n",
                            p, items.get(p).ids().length, cl, hfToLc);
                }
            }
            int[] pos0 = positions.get(0);
            int at1 = Arrays.binarySearch(pos0, 1), at511 = Arrays.binarySearch(pos0, 511);
            assertTrue(at1 >= 0 && at511 >= 0, "fixture positions lack 1 or 511");
            double c1 = HfReference.cosine(h.lastToken(1), rows[at1]);
            double c511 = HfReference.cosine(h.lastToken(3), rows[at511]);
            assertTrue(c1 >= 0.9999 && c511 >= 0.9999, "packed prefixes: cosines " + c1 + ", " + c511);
            System.out.printf("gemma3 long prompts vs HF fp32: min cosine %.8f over %d rows%n", min, row + items.size());
        }
    }

    private static List<int[]> positions(String file) throws IOException {
        List<int[]> out = new ArrayList<>();
        try (InputStream in = Gemma3ForwardTest.class.getResourceAsStream("/oracle/" + MODEL + "/" + file)) {
            ObjectMapper json = new ObjectMapper();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode p = json.readTree(line).get("positions");
                    int[] a = new int[p.size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = p.get(i).asInt();
                    }
                    out.add(a);
                }
            }
        }
        return out;
    }
}
