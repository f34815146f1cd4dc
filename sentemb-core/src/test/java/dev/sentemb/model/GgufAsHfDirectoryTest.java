package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.testing.HfFixture;
import dev.sentemb.testing.OracleFixture;
import dev.sentemb.weights.SafetensorsWriter;
import dev.sentemb.testing.TestModels;
import dev.sentemb.weights.Dequant;
import dev.sentemb.weights.GgufFile;
import dev.sentemb.weights.GgufTensor;
import dev.sentemb.weights.HfCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Random;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real weights through the Hugging Face path, in CI: smollm2-135m's GGUF tensors, dequantized and
 * written as an fp32 HF directory in transformers' names and layout (q/k rows un-permuted back from
 * llama.cpp's adjacent-pair rotary order to HF's half-split one), give the same PromptEOL embeddings
 * as the GGUF file itself. This checks name mapping, config reading and the rotary layout per source.
 */
class GgufAsHfDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void smollm2FromAnHfDirectoryEqualsTheGguf() throws IOException {
        List<OracleFixture.Item> items = OracleFixture.items("smollm2-135m", "icl.jsonl").subList(0, 12);
        List<int[]> ids = items.stream().map(OracleFixture.Item::ids).toList();
        try (GgufFile gguf = GgufFile.open(TestModels.require("smollm2-135m"))) {
            ModelConfig c = ModelConfig.fromGguf(gguf);
            writeHfDirectory(gguf, c, tmp);
            PackedHidden expected;
            try (TransformerModel m = ModelLoader.load(gguf, 2)) {
                expected = m.forward(ids);
            }
            try (HfCheckpoint ckpt = HfCheckpoint.open(tmp); TransformerModel m = HfModels.load(ckpt, Kernels.vector(2), false, null)) {
                assertSame(m.forward(ids), expected, ids.size());
            }

            // A random LoRA on q/k/v/o/gate: the GGUF path must permute B's q/k rows as llama.cpp permuted
            // the weights, so GGUF + adapter equals the HF directory + adapter.
            Path adapter = Files.createDirectories(tmp.resolve("adapter"));
            writeAdapter(c, adapter);
            PackedHidden hfAdapted;
            try (HfCheckpoint ckpt = HfCheckpoint.open(tmp);
                 TransformerModel m = HfModels.load(ckpt, Kernels.vector(2), false, LoraAdapter.load(adapter, false))) {
                hfAdapted = m.forward(ids);
            }
            assertTrue(HfFixture.cosine(hfAdapted.lastToken(0), expected.lastToken(0)) < 0.999, "the adapter must change the output");
            for (boolean merge : new boolean[] {false, true}) {
                try (TransformerModel m = ModelLoader.load(gguf, 2, LoraAdapter.load(adapter, merge))) {
                    assertSame(m.forward(ids), hfAdapted, ids.size());
                }
            }
        }
    }

    private static void assertSame(PackedHidden got, PackedHidden expected, int n) {
        for (int s = 0; s < n; s++) {
            double cos = HfFixture.cosine(got.lastToken(s), expected.lastToken(s));
            assertTrue(cos >= 0.9999, "prompt " + s + ": cos " + cos);
            assertTrue(HfFixture.maxAbs(got.lastToken(s), expected.lastToken(s)) < 1e-2, "prompt " + s);
        }
    }

    /** A PEFT-layout adapter (r 8, alpha 16) with seeded random A and B for every layer's q, k, v, o and gate projections. */
    static void writeAdapter(ModelConfig c, Path dir) throws IOException {
        Files.writeString(dir.resolve("adapter_config.json"), "{\"peft_type\": \"LORA\", \"r\": 8, \"lora_alpha\": 16,"
                + " \"target_modules\": [\"q_proj\", \"k_proj\", \"v_proj\", \"o_proj\", \"gate_proj\"], \"bias\": \"none\"}");
        Random rnd = new Random(5);
        int q = c.heads() * c.headDim();
        int kv = c.kvHeads() * c.headDim();
        String[][] mods = {{"self_attn.q_proj", "" + q, "" + c.dim()}, {"self_attn.k_proj", "" + kv, "" + c.dim()},
            {"self_attn.v_proj", "" + kv, "" + c.dim()}, {"self_attn.o_proj", "" + c.dim(), "" + q},
            {"mlp.gate_proj", "" + c.ffnDim(), "" + c.dim()}};
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            for (String[] m : mods) {
                int out = Integer.parseInt(m[1]);
                int in = Integer.parseInt(m[2]);
                String p = "base_model.model.model.layers." + l + "." + m[0];
                float[] a = gaussian(rnd, 8 * in, 1 / Math.sqrt(in));
                float[] b = gaussian(rnd, out * 8, 0.05);
                entries.add(new SafetensorsWriter.Entry(p + ".lora_A.weight", new long[] {8, in}, () -> a));
                entries.add(new SafetensorsWriter.Entry(p + ".lora_B.weight", new long[] {out, 8}, () -> b));
            }
        }
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), entries);
    }

    private static float[] gaussian(Random r, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }

    /** config.json (the older top-level rope_theta spelling) and model.safetensors in LlamaForCausalLM's names. */
    static void writeHfDirectory(GgufFile gguf, ModelConfig c, Path dir) throws IOException {
        ObjectNode cfg = new ObjectMapper().createObjectNode();
        cfg.put("model_type", "llama").put("hidden_size", c.dim()).put("num_hidden_layers", c.layers())
                .put("num_attention_heads", c.heads()).put("num_key_value_heads", c.kvHeads()).put("head_dim", c.headDim())
                .put("intermediate_size", c.ffnDim()).put("rms_norm_eps", c.rmsEps()).put("rope_theta", c.ropeBase())
                .put("max_position_embeddings", c.contextLength()).put("vocab_size", c.vocabSize());
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), cfg);
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (GgufTensor t : gguf.tensors()) {
            String hf = "model." + TensorNames.llama(t.name());
            long[] shape = t.nDims() == 1 ? new long[] {t.cols()} : new long[] {t.rows(), t.cols()};
            int heads = t.name().endsWith("attn_q.weight") ? c.heads() : t.name().endsWith("attn_k.weight") ? c.kvHeads() : 0;
            entries.add(new SafetensorsWriter.Entry(hf, shape, () -> {
                float[] v = Dequant.dequantizeAll(t);
                return heads > 0 ? LoraAdapter.unpermuteRows(v, heads, (int) t.cols()) : v;
            }));
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), entries);
    }

    /**
     * An adapter is a decorator of any weight source: on gemma3's GGUF (an architecture GGUF adapters were
     * refused on before) every module of a random adapter finds its layer, changes the output, and merged
     * and on-the-fly application agree.
     */
    @Test
    void anAdapterOnGemma3sGguf() throws IOException {
        List<int[]> ids = OracleFixture.items("gemma3-270m", "icl.jsonl").subList(0, 4).stream().map(OracleFixture.Item::ids).toList();
        try (GgufFile gguf = GgufFile.open(TestModels.require("gemma3-270m"))) {
            ModelConfig c = ModelConfig.fromGguf(gguf);
            Path adapter = Files.createDirectories(tmp.resolve("gemma-adapter"));
            writeAdapter(c, adapter);
            PackedHidden plain;
            try (TransformerModel m = ModelLoader.load(gguf, 2)) {
                plain = m.forward(ids);
            }
            PackedHidden onTheFly;
            try (TransformerModel m = ModelLoader.load(gguf, 2, LoraAdapter.load(adapter, false))) {
                onTheFly = m.forward(ids);
            }
            try (TransformerModel m = ModelLoader.load(gguf, 2, LoraAdapter.load(adapter, true))) {
                assertSame(m.forward(ids), onTheFly, ids.size());
            }
            assertTrue(HfFixture.cosine(onTheFly.lastToken(0), plain.lastToken(0)) < 0.999, "the adapter must change the output");
        }
    }
}
