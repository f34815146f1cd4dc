package dev.sentemb.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.model.HfModels;
import dev.sentemb.model.LoraAdapter;
import dev.sentemb.model.TransformerModel;
import dev.sentemb.weights.HfCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on the tiny llama: the loss falls, checkpoints load back, and a killed run resumes to the same bits. */
class TrainingRunTest {
    static final Path RES = Path.of("src/test/resources");
    static Kernels kernels;
    static HfCheckpoint ckpt;
    static List<int[][]> examples = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        kernels = Kernels.vector(2);
        ckpt = HfCheckpoint.open(RES.resolve("hf/llama"));
        JsonNode batch = new ObjectMapper().readTree(RES.resolve("train/llama-step/batch.json").toFile());
        for (int i = 0; i < batch.get("anchors").size(); i++) {
            examples.add(new int[][] {ids(batch.get("anchors").get(i)), ids(batch.get("positives").get(i)), ids(batch.get("negatives").get(i))});
        }
    }

    @AfterAll
    static void close() {
        ckpt.close();
        kernels.close();
    }

    static final TrainConfig CFG = new TrainConfig(4, 2, 0.05, true, 8, 16, 0.05, 2e-3, 1, 3, 1.0, 7);

    private LoraTrainer trainer(LoraAdapter adapter) {
        TransformerModel m = HfModels.load(ckpt, kernels, false, adapter);
        return new LoraTrainer(m.differentiable().orElseThrow(), adapter.applied(), CFG,
                new LrSchedule(CFG.lr(), CFG.warmupSteps(), TrainingRun.totalSteps(examples.size(), CFG)));
    }

    private static LoraAdapter fresh() {
        return LoraAdapter.fresh(Set.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"), 8, 16, 7);
    }

    @Test
    void stepsOnOneBatchLowerItsLoss() {
        LoraTrainer t = trainer(fresh());
        List<int[]> sentences = LoraTrainer.order(examples, true);
        double first = t.step(sentences, 8, true, 1).loss();
        double last = first;
        for (int s = 2; s < 8; s++) {
            last = t.step(sentences, 8, true, s).loss();
        }
        assertTrue(last < first - 0.1, "loss " + first + " -> " + last);
    }

    @Test
    void aKilledRunResumesToTheSameAdapterBits() throws Exception {
        Path whole = dir.resolve("whole"), killed = dir.resolve("killed");
        LoraTrainer a = trainer(fresh());
        new TrainingRun(a, CFG, examples, true, new TrainingRun.Options(whole, "hf/llama", 2, 0), null, (r, n) -> {}).run(state0());

        LoraTrainer b = trainer(fresh());
        TrainingRun.Listener dies = (r, n) -> {
            if (r.step() + 1 == 3) {
                throw new IllegalStateException("killed");
            }
        };
        assertThrows(IllegalStateException.class, () ->
                new TrainingRun(b, CFG, examples, true, new TrainingRun.Options(killed, "hf/llama", 2, 0), null, dies).run(state0()));
        Path last = PeftCheckpoint.latest(killed).orElseThrow();
        assertEquals("checkpoint-2", last.getFileName().toString());

        LoraTrainer c = trainer(LoraAdapter.load(last, false));
        PeftCheckpoint.restoreOptimizer(last, c);
        new TrainingRun(c, CFG, examples, true, new TrainingRun.Options(killed, "hf/llama", 2, 0), null, (r, n) -> {})
                .run(PeftCheckpoint.readState(last));

        assertArrayEquals(Files.readAllBytes(whole.resolve("adapter_model.safetensors")),
                Files.readAllBytes(killed.resolve("adapter_model.safetensors")));
        List<String> log = Files.readAllLines(killed.resolve("train-log.jsonl"));
        assertEquals(TrainingRun.totalSteps(examples.size(), CFG), log.size(), "one log line per step, none twice");
        assertEquals(Files.readAllLines(whole.resolve("train-log.jsonl")).get(5).replaceAll(",\"tokens_per_s\".*", ""),
                log.get(5).replaceAll(",\"tokens_per_s\".*", ""));
    }

    @Test
    void aSavedAdapterLoadsBackOnTheModelAsTrained() throws Exception {
        LoraTrainer t = trainer(fresh());
        t.step(LoraTrainer.order(examples.subList(0, 4), true), 4, true, 1);
        Path out = dir.resolve("a");
        PeftCheckpoint.saveAdapter(out, t.parameters(), 8, 16, 0.05, "hf/llama");
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("adapter_config.json").toFile());
        assertEquals("CAUSAL_LM", cfg.get("task_type").asText());
        assertEquals(8, cfg.get("r").asInt());
        assertEquals(7, cfg.get("target_modules").size());
        LoraAdapter back = LoraAdapter.load(out, false);
        HfModels.load(ckpt, kernels, false, back);
        assertEquals(t.parameters().size(), back.applied().size());
        for (int i = 0; i < back.applied().size(); i++) {
            assertEquals(t.parameters().get(i).module(), back.applied().get(i).module());
            assertArrayEquals(t.parameters().get(i).lora().a().data(), back.applied().get(i).lora().a().data());
            assertArrayEquals(t.parameters().get(i).lora().b().data(), back.applied().get(i).lora().b().data());
        }
    }

    private static PeftCheckpoint.State state0() {
        return new PeftCheckpoint.State(0, 0, 0, CFG.seed(), CFG.batch(), examples.size());
    }

    private static int[] ids(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
