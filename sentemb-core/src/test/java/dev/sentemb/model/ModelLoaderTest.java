package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.testing.TestModels;
import dev.sentemb.weights.GgufFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config reading, architecture dispatch and load-time errors, on real files and on tiny written ones. */
class ModelLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheConfigOfBothRealModels() {
        try (GgufFile f = GgufFile.open(TestModels.require("smollm2-135m"))) {
            ModelConfig c = ModelConfig.fromGguf(f);
            assertEquals(new ModelConfig("llama", 576, 30, 9, 3, 64, 1536, 1e-5f, 100000f, 64, "none", 1f, 8192, 49152), c);
        }
        try (GgufFile f = GgufFile.open(TestModels.require("qwen2.5-coder-0.5b"))) {
            ModelConfig c = ModelConfig.fromGguf(f);
            assertEquals(new ModelConfig("qwen2", 896, 24, 14, 2, 64, 4864, 1e-6f, 1000000f, 64, "none", 1f, 32768, 151936), c);
        }
    }

    @Test
    void tinyModelLoadsAndRuns() {
        try (GgufFile f = GgufFile.open(TinyGguf.llamaShaped("llama").write(dir.resolve("tiny.gguf")));
                TransformerModel m = ModelLoader.load(f, 2)) {
            PackedHidden h = m.forward(List.of(new int[] {1, 2, 3}, new int[] {19}));
            assertEquals(4 * TinyGguf.D, h.hidden().length);
            for (float v : h.hidden()) assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void unknownArchitectureIsNamedWithTheSupportedOnes() {
        try (GgufFile f = GgufFile.open(TinyGguf.llamaShaped("gpt-neox").write(dir.resolve("neox.gguf")))) {
            UnsupportedArchitectureException e = assertThrows(UnsupportedArchitectureException.class, () -> ModelLoader.load(f, 1));
            assertEquals("gpt-neox", e.architecture());
            assertTrue(e.getMessage().contains("gpt-neox") && e.getMessage().contains("llama, qwen2"), e.getMessage());
        }
    }

    @Test
    void missingMetadataKeyIsNamed() {
        TinyGguf g = TinyGguf.llamaShaped("llama");
        g.metadata.remove("llama.feed_forward_length");
        try (GgufFile f = GgufFile.open(g.write(dir.resolve("nokey.gguf")))) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(f, 1));
            assertTrue(e.getMessage().contains("'llama.feed_forward_length'"), e.getMessage());
        }
    }

    @Test
    void metadataThatWouldHurtIsRefusedWithTheFileAndKey() {
        TinyGguf noContext = TinyGguf.llamaShaped("llama");
        noContext.metadata.remove("llama.context_length");
        try (GgufFile f = GgufFile.open(noContext.write(dir.resolve("noctx.gguf")))) {
            // unknown, not "a limit of 0" blamed on the user's input
            assertEquals(1 << 20, ModelConfig.fromGguf(f).contextLength());
        }
        Object[][] bad = {{"llama.attention.layer_norm_rms_epsilon", Float.NaN, "epsilon"}, {"llama.block_count", Integer.MAX_VALUE, "layers"},
            {"llama.attention.head_count", 0, "head_count"}, {"llama.rope.freq_base", 0f, "rope base"}};
        for (Object[] b : bad) {
            TinyGguf g = TinyGguf.llamaShaped("llama");
            g.metadata.put((String) b[0], b[1]);
            try (GgufFile f = GgufFile.open(g.write(dir.resolve("bad.gguf")))) {
                ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(f, 1));
                assertTrue(e.getMessage().contains("bad.gguf") && e.getMessage().contains((String) b[2]), e.getMessage());
            }
        }
    }

    @Test
    void missingOrMisshapenTensorIsNamed() {
        TinyGguf g = TinyGguf.llamaShaped("llama");
        g.tensors.remove("blk.1.ffn_up.weight");
        try (GgufFile f = GgufFile.open(g.write(dir.resolve("notensor.gguf")))) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(f, 1));
            assertTrue(e.getMessage().contains("blk.1.ffn_up.weight"), e.getMessage());
        }
        TinyGguf h = TinyGguf.llamaShaped("llama");
        h.tensors.put("blk.0.attn_k.weight", new long[] {TinyGguf.D, 2 * TinyGguf.HEAD_DIM});
        try (GgufFile f = GgufFile.open(h.write(dir.resolve("shape.gguf")))) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(f, 1));
            assertTrue(e.getMessage().contains("blk.0.attn_k.weight"), e.getMessage());
        }
    }

    @Test
    void unsupportedRopeScalingIsRejected() {
        TinyGguf g = TinyGguf.llamaShaped("qwen2");
        g.metadata.put("qwen2.rope.scaling.type", "yarn");
        try (GgufFile f = GgufFile.open(g.write(dir.resolve("yarn.gguf")))) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(f, 1));
            assertTrue(e.getMessage().contains("yarn"), e.getMessage());
        }
    }

    @Test
    void badInputIsRejectedWithATypedError() {
        try (GgufFile f = GgufFile.open(TinyGguf.llamaShaped("llama").write(dir.resolve("tiny.gguf")));
                TransformerModel m = ModelLoader.load(f, 1)) {
            assertThrows(InvalidInputException.class, () -> m.forward(List.of()));
            InvalidInputException empty = assertThrows(InvalidInputException.class, () -> m.forward(List.of(new int[] {1}, new int[0])));
            assertTrue(empty.getMessage().contains("sequence 1"), empty.getMessage());
            InvalidInputException high = assertThrows(InvalidInputException.class, () -> m.forward(List.of(new int[] {1, TinyGguf.VOCAB})));
            assertTrue(high.getMessage().contains(String.valueOf(TinyGguf.VOCAB)), high.getMessage());
            assertThrows(InvalidInputException.class, () -> m.forward(List.of(new int[] {-1})));
        }
    }
}
