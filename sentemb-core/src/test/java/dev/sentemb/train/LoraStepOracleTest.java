package dev.sentemb.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.model.Differentiable;
import dev.sentemb.model.HfModels;
import dev.sentemb.model.LoraAdapter;
import dev.sentemb.model.TransformerModel;
import dev.sentemb.weights.CheckpointTensor;
import dev.sentemb.weights.Dequant;
import dev.sentemb.weights.HfCheckpoint;
import dev.sentemb.weights.SafetensorsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One contrastive step on 8 triplets against PyTorch + peft (tools/oracle/train_fixtures.py) on each tiny
 * random architecture with a random LoRA on all its linear layers: llama; OPT pre-LN; OPT post-LN with
 * project_in/out; Gemma 3 (q/k norms, GeGLU, sandwich norms, a sliding window shorter than the prompts).
 * The loss, every LoRA gradient (relative error ≤ 1e-3 of the tensor's largest gradient) and the LoRA
 * weights after one clipped AdamW step must match, with the batch's gradient accumulated over
 * micro-batches of 3 triplets (gradient caching).
 */
class LoraStepOracleTest {
    static final Path RES = Path.of("src/test/resources");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"llama, hf/llama-lora, 14", "opt, train/opt-step/adapter, 12", "opt-proj, train/opt-proj-step/adapter, 14",
                "gemma3, train/gemma3-step/adapter, 14"})
    void oneStepMatchesPyTorchAndPeft(String arch, String adapterDir, int loraLayers, @TempDir Path tmp) throws Exception {
        Path fixture = RES.resolve("train/" + arch + "-step");
        JsonNode batch = new ObjectMapper().readTree(fixture.resolve("batch.json").toFile());
        List<int[][]> examples = new ArrayList<>();
        for (int i = 0; i < batch.get("anchors").size(); i++) {
            examples.add(new int[][] {ids(batch.get("anchors").get(i)), ids(batch.get("positives").get(i)), ids(batch.get("negatives").get(i))});
        }
        double lr = batch.get("lr").asDouble();
        try (Kernels kernels = Kernels.vector(2);
             HfCheckpoint ckpt = HfCheckpoint.open(withoutModelDropout(RES.resolve("hf/" + arch), tmp));
             SafetensorsFile expected = SafetensorsFile.open(fixture.resolve("expected.safetensors"))) {
            LoraAdapter adapter = LoraAdapter.load(RES.resolve(adapterDir), false);
            TransformerModel model = HfModels.load(ckpt, kernels, false, adapter);
            Differentiable diff = model.differentiable().orElseThrow();
            TrainConfig cfg = new TrainConfig(8, 3, batch.get("tau").asDouble(), true, 4, 8, 0.0, lr, 0, 1, 1.0, 1);
            LoraTrainer trainer = new LoraTrainer(diff, adapter.applied(), cfg, new LrSchedule(lr, 0, 1));
            Map<String, CheckpointTensor> t = expected.tensors();
            List<int[]> sentences = LoraTrainer.order(examples, true);

            ContrastiveLoss.Result loss = trainer.lossAndGradients(sentences, 8, true, 0);
            assertEquals(floats(t.get("loss"))[0], loss.loss(), 1e-4 * Math.abs(loss.loss()), "loss");
            assertEquals(loraLayers, adapter.applied().size(), "LoRA layers");
            for (LoraAdapter.Applied a : adapter.applied()) {
                var g = trainer.gradients().of(a.lora());
                close(floats(t.get(key(a, "A") + ".grad")), g.a(), 1e-3, a.module() + " dA");
                close(floats(t.get(key(a, "B") + ".grad")), g.b(), 1e-3, a.module() + " dB");
            }

            LoraTrainer.StepResult step = trainer.step(sentences, 8, true, 0);
            assertEquals(floats(t.get("grad_norm"))[0], step.gradNorm(), 1e-3 * step.gradNorm(), "gradient norm");
            for (LoraAdapter.Applied a : adapter.applied()) {
                afterStep(floats(t.get(key(a, "A") + ".after")), a.lora().a().data(), floats(t.get(key(a, "A") + ".grad")), lr, a.module() + " A");
                afterStep(floats(t.get(key(a, "B") + ".after")), a.lora().b().data(), floats(t.get(key(a, "B") + ".grad")), lr, a.module() + " B");
            }
        }
    }

    /**
     * OPT's config asks for dropout on the embeddings and sub-block outputs in training; PyTorch's masks cannot
     * be drawn here, so the oracle ran with it at 0 and so does this copy of the checkpoint.
     */
    private static Path withoutModelDropout(Path dir, Path tmp) throws java.io.IOException {
        ObjectMapper json = new ObjectMapper();
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(dir.resolve("config.json").toFile());
        if (!config.has("dropout")) {
            return dir;
        }
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path f : files.toList()) {
                java.nio.file.Files.copy(f, tmp.resolve(f.getFileName().toString()));
            }
        }
        config.put("dropout", 0.0);
        json.writeValue(tmp.resolve("config.json").toFile(), config);
        return tmp;
    }

    private static String key(LoraAdapter.Applied a, String factor) {
        return "base_model.model." + a.module() + ".lora_" + factor + ".weight";
    }

    static void close(float[] expected, float[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        double scale = 0, worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= rel * scale, what + ": worst difference " + worst + " for values up to " + scale);
    }

    /**
     * The first AdamW step moves each weight by about lr·sign(g): elements whose gradient is tiny against the
     * tensor's (where float rounding may flip its sign, or ε matters) are only held to that bound.
     */
    static void afterStep(float[] expected, float[] actual, float[] grad, double lr, String what) {
        double gmax = 0;
        for (float g : grad) {
            gmax = Math.max(gmax, Math.abs(g));
        }
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            double bound = Math.abs(grad[i]) > 1e-3 * gmax ? 1e-3 * lr + 1e-7 : 2 * lr + 1e-7;
            assertTrue(diff <= bound, what + "[" + i + "]: " + actual[i] + " vs " + expected[i]);
        }
    }

    static float[] floats(CheckpointTensor t) {
        float[] v = new float[Math.toIntExact(t.elementCount())];
        Dequant.dequantize(t.decodableType(), t.data(), 0, v, 0, v.length);
        return v;
    }

    private static int[] ids(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
