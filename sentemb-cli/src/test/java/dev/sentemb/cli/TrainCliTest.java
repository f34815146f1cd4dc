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

/** sentemb train on the tiny llama directory: outputs, a skipped row, resume, and the adapter used by embed. */
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
    void badTargetsAndAnArchitectureWithoutTrainingAreNamed() throws Exception {
        Path data = dir.resolve("d.csv");
        Files.writeString(data, "sent0,sent1\na b,c d\ne f,g h\n");
        String[] r = run("train", "--model", HF.resolve("llama").toString(), "--data", data.toString(), "--output", dir.resolve("o").toString(),
                "--targets", "q_proj,lm_head", "--no-eval");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("unknown module 'lm_head'"), r[2]);
        r = run("train", "--model", HF.resolve("opt").toString(), "--data", data.toString(), "--output", dir.resolve("o").toString(),
                "--no-eval", "--targets", "q_proj");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("training opt models is not built yet"), r[2]);
    }
}
