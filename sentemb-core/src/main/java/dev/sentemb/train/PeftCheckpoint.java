package dev.sentemb.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentemb.model.LoraAdapter;
import dev.sentemb.weights.CheckpointTensor;
import dev.sentemb.weights.Dequant;
import dev.sentemb.weights.SafetensorsFile;
import dev.sentemb.weights.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a trained adapter as PEFT writes one, so {@code PeftModel.from_pretrained} loads it on the matching
 * Hugging Face checkpoint ({@code AutoModelForCausalLM}, as the reference trains) and sentemb loads it on the
 * GGUF or the directory: {@code adapter_config.json} and {@code adapter_model.safetensors} with PEFT's
 * tensor names ({@code base_model.model.model.<module>.lora_A.weight}, A [r × in], B [out × r]). B rows that
 * the model runs permuted (llama.cpp's q/k order in a GGUF) are written back in transformers' order.
 * A checkpoint adds the optimizer's moments ({@code optimizer.safetensors}) and the run's position
 * ({@code trainer_state.json}) for resuming.
 */
public final class PeftCheckpoint {
    static final String PREFIX = "base_model.model.model.";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PeftCheckpoint() {}

    /** Writes the adapter files into {@code dir} (created if absent). */
    public static void saveAdapter(Path dir, List<LoraAdapter.Applied> params, int rank, double alpha, double dropout,
            String baseModel) {
        try {
            Files.createDirectories(dir);
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            TreeSet<String> kinds = new TreeSet<>();
            for (LoraAdapter.Applied a : params) {
                int r = a.lora().a().rows();
                kinds.add(a.module().substring(a.module().lastIndexOf('.') + 1));
                entries.add(new SafetensorsWriter.Entry(PREFIX + a.module() + ".lora_A.weight",
                        new long[] {r, a.lora().a().cols()}, () -> a.lora().a().data()));
                entries.add(new SafetensorsWriter.Entry(PREFIX + a.module() + ".lora_B.weight",
                        new long[] {a.lora().b().rows(), r}, () -> LoraAdapter.bAsStored(a)));
            }
            SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), entries, Map.of("format", "pt"));
            ObjectNode cfg = JSON.createObjectNode();
            cfg.put("peft_type", "LORA");
            cfg.put("task_type", "CAUSAL_LM");
            cfg.put("base_model_name_or_path", baseModel);
            cfg.put("r", rank);
            cfg.put("lora_alpha", alpha);
            cfg.put("lora_dropout", dropout);
            ArrayNode targets = cfg.putArray("target_modules");
            kinds.forEach(targets::add);
            cfg.put("bias", "none");
            cfg.put("fan_in_fan_out", false);
            cfg.put("use_rslora", false);
            cfg.put("use_dora", false);
            cfg.put("inference_mode", true);
            cfg.put("init_lora_weights", true);
            cfg.putNull("modules_to_save");
            cfg.putObject("rank_pattern");
            cfg.putObject("alpha_pattern");
            cfg.putNull("layers_to_transform");
            cfg.putNull("layers_pattern");
            cfg.putNull("revision");
            writeJson(dir.resolve("adapter_config.json"), cfg);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the adapter to " + dir, e);
        }
    }

    /** The run's position and best score, saved with a checkpoint. */
    public record State(int step, double bestScore, int bestStep, long seed, int batch, int examples) {}

    /** Writes a resumable checkpoint: the adapter, the optimizer's moments and the state. */
    public static void save(Path dir, LoraTrainer trainer, TrainConfig cfg, String baseModel, State state) {
        saveAdapter(dir, trainer.parameters(), cfg.rank(), cfg.alpha(), cfg.dropout(), baseModel);
        try {
            AdamW opt = trainer.optimizer();
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            float[][] m = opt.firstMoments(), v = opt.secondMoments();
            for (int i = 0; i < m.length; i++) {
                int p = i;
                entries.add(new SafetensorsWriter.Entry("m." + i, new long[] {m[i].length}, () -> m[p]));
                entries.add(new SafetensorsWriter.Entry("v." + i, new long[] {v[i].length}, () -> v[p]));
            }
            SafetensorsWriter.write(dir.resolve("optimizer.safetensors"), entries, Map.of("steps", Long.toString(opt.steps())));
            writeJson(dir.resolve("trainer_state.json"), JSON.valueToTree(state));
        } catch (IOException e) {
            throw new UncheckedIOException("writing the checkpoint " + dir, e);
        }
    }

    /** Reads a checkpoint's state. */
    public static State readState(Path dir) {
        try {
            return JSON.treeToValue(JSON.readTree(dir.resolve("trainer_state.json").toFile()), State.class);
        } catch (IOException e) {
            throw new TrainingDataException(dir.resolve("trainer_state.json") + ": not a readable training state: " + e.getMessage(), e);
        }
    }

    /** Restores the optimizer's moments and step count from a checkpoint into {@code trainer}. */
    public static void restoreOptimizer(Path dir, LoraTrainer trainer) {
        AdamW opt = trainer.optimizer();
        int n = opt.firstMoments().length;
        float[][] m = new float[n][], v = new float[n][];
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("optimizer.safetensors"))) {
            Map<String, CheckpointTensor> t = f.tensors();
            for (int i = 0; i < n; i++) {
                m[i] = floats(t.get("m." + i), dir, "m." + i);
                v[i] = floats(t.get("v." + i), dir, "v." + i);
            }
        }
        opt.restore(readState(dir).step(), m, v);
    }

    /** The checkpoint directory {@code checkpoint-N} with the largest N under {@code dir}, if any. */
    public static java.util.Optional<Path> latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return java.util.Optional.empty();
        }
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+") && Files.isRegularFile(p.resolve("trainer_state.json")))
                    .max(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(11))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] floats(CheckpointTensor t, Path dir, String name) {
        if (t == null) {
            throw new TrainingDataException(dir + ": optimizer state lacks " + name);
        }
        float[] out = new float[Math.toIntExact(t.elementCount())];
        Dequant.dequantize(t.decodableType(), t.data(), 0, out, 0, out.length);
        return out;
    }

    private static void writeJson(Path file, JsonNode node) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        JSON.writeValue(tmp.toFile(), node);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
