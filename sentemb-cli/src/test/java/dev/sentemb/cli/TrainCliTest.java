package dev.sentemb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sentemb train on the tiny checkpoints: outputs, a skipped row, resume, every architecture, and the adapter used by embed. */
class TrainCliTest {
    private static final Path HF = Path.of("..", "sentemb-core", "src", "test", "resources", "hf").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        PrintStream old = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
    }

    @Test
    void trainsWritesPeftAdaptersAndResumes() throws Exception {
        Path data = dir.resolve("nli.csv");
        List<String> rows = new java.util.ArrayList<>(Files.readAllLines(
                Path.of("..", "..", "shared", "data", "nli", "snli_devtest_triplets.csv")).subList(0, 13));
        rows.add(6, "a sentence without its pair,,");
        Files.write(data, rows);
        Path out = dir.resolve("run");
        String[] args = {"train", "--model", HF.resolve("llama").toString(), "--data", data.toString(), "--output", out.toString(),
                "--batch", "4", "--micro-batch", "2", "--lora-r", "4", "--lr", "1e-3", "--warmup-steps", "1", "--epochs", "2",
                "--save-every", "2", "--no-eval", "--threads", "2", "--seed", "3"};
        String[] r = run(args);
        assertEquals("3", r[0], "finished with a skipped row: " + r[2]);
        assertTrue(r[2].contains("line 7"), r[2]);
        assertTrue(Files.isRegularFile(out.resolve("adapter_model.safetensors")));
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("adapter_config.json").toFile());
        assertEquals(4, cfg.get("r").asInt());
        assertEquals(HF.resolve("llama").toString(), cfg.get("base_model_name_or_path").asText());
        List<String> log = Files.readAllLines(out.resolve("train-log.jsonl"));
        assertEquals(6, log.size(), "12 examples, batch 4, 2 epochs");
        assertTrue(Files.isDirectory(out.resolve("checkpoint-6")));

        String[] again = run(args);
        assertEquals("1", again[0], "an output with checkpoints is not overwritten without --resume");
        assertTrue(again[2].contains("--resume"), again[2]);

        byte[] finished = Files.readAllBytes(out.resolve("adapter_model.safetensors"));
        String[] resumed = run(java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--resume")).toArray(String[]::new));
        assertEquals("3", resumed[0], resumed[2]);
        assertTrue(resumed[2].contains("resuming") && resumed[2].contains("step 6 of 6"), resumed[2]);
        assertTrue(java.util.Arrays.equals(finished, Files.readAllBytes(out.resolve("adapter_model.safetensors"))));

        Path html = dir.resolve("curves.html");
        String[] rep = run("report", out.toString(), "--output", html.toString());
        assertEquals("0", rep[0], rep[2]);
        assertTrue(rep[1].contains("| run | steps |") && rep[1].contains("| run | 6 |"), rep[1]);
        assertTrue(Files.readString(html).contains("Contrastive loss per step"));

        Path in = dir.resolve("in.txt");
        Files.writeString(in, "A man is playing a guitar.\n");
        String[] e = run("embed", "--model", HF.resolve("llama").toString(), "--adapter", out.toString(), "--input", in.toString(),
                "--output", dir.resolve("e.jsonl").toString());
        assertEquals("0", e[0], e[2]);
    }

    @Test
    void badTargetsAreNamed() throws Exception {
        Path data = dir.resolve("d.csv");
        Files.writeString(data, "sent0,sent1\na b,c d\ne f,g h\n");
        String[] r = run("train", "--model", HF.resolve("llama").toString(), "--data", data.toString(), "--output", dir.resolve("o").toString(),
                "--targets", "q_proj,lm_head", "--no-eval");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("unknown module 'lm_head'"), r[2]);
        r = run("train", "--model", HF.resolve("llama").toString(), "--data", data.toString(), "--output", dir.resolve("o2").toString(),
                "--targets", "fc1", "--no-eval");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("no layer of the model is a LoRA target [fc1]"), r[2]);
    }

    /** OPT (post-LN, with project_in/out) and Gemma 3 train with all-linear, write PEFT's module names, and embed with the result. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "opt-proj, 'fc1,fc2,k_proj,out_proj,project_in,project_out,q_proj,v_proj', base_model.model.model.decoder.project_in.lora_A.weight",
        "gemma3, 'down_proj,gate_proj,k_proj,o_proj,q_proj,up_proj,v_proj', base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight"})
    void optAndGemmaTrain(String arch, String kinds, String tensor) throws Exception {
        Path data = dir.resolve("nli.csv");
        Files.write(data, Files.readAllLines(Path.of("..", "..", "shared", "data", "nli", "snli_devtest_triplets.csv")).subList(0, 9));
        Path out = dir.resolve(arch);
        String[] r = run("train", "--model", HF.resolve(arch).toString(), "--data", data.toString(), "--output", out.toString(),
                "--batch", "4", "--micro-batch", "2", "--lora-r", "4", "--lr", "1e-3", "--warmup-steps", "0", "--no-eval", "--threads", "2");
        assertEquals("0", r[0], r[2]);
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("adapter_config.json").toFile());
        List<String> targets = new java.util.ArrayList<>();
        cfg.get("target_modules").forEach(t -> targets.add(t.asText()));
        assertEquals(kinds, String.join(",", targets));
        String header = new String(Files.readAllBytes(out.resolve("adapter_model.safetensors")), 0, 4096, StandardCharsets.ISO_8859_1);
        assertTrue(header.contains(tensor), header);
        assertEquals(2, Files.readAllLines(out.resolve("train-log.jsonl")).size());

        Path in = dir.resolve("in.txt");
        Files.writeString(in, "A man is playing a guitar.\n");
        Path plain = dir.resolve(arch + "-plain.jsonl"), tuned = dir.resolve(arch + "-tuned.jsonl");
        assertEquals("0", run("embed", "--model", HF.resolve(arch).toString(), "--input", in.toString(), "--output", plain.toString())[0]);
        String[] e = run("embed", "--model", HF.resolve(arch).toString(), "--adapter", out.toString(), "--input", in.toString(),
                "--output", tuned.toString());
        assertEquals("0", e[0], e[2]);
        assertTrue(!Files.readString(plain).equals(Files.readString(tuned)), "the trained adapter changes the embedding");
    }
}
