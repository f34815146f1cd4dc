package dev.sentemb.fuzz;

import dev.sentemb.SentembException;
import dev.sentemb.embed.Encoder;
import dev.sentemb.kernel.Parallel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The model-file fuzz harness: damaged GGUF files, safetensors, configs, tokenizer files, PyTorch zips and
 * PEFT adapters, each loaded into an encoder that then embeds three sentences. Meant to run in a JVM of
 * its own with a small heap ({@code -Xmx512m}); every case has a time limit. Allowed outcomes: a working
 * model with finite vectors, or a typed {@link SentembException} of at most two short lines that names the
 * damaged file (or its directory), or the engine's refusal of a non-finite vector. Everything else (another
 * exception, an error, a hang, a NaN vector) is a finding; the process exits 1 if there was any.
 *
 * <p>Usage: {@code ModelFuzz --fixtures DIR --work DIR [--cases N] [--seed S] [--case-seconds T] [--only K]}.
 * A case is fixed by (seed, index): {@code --only K} re-runs case K alone.
 */
public final class ModelFuzz {
    private static final List<String> SENTENCES = List.of("A man plays a guitar.", "x", "naïve café ☃ 𝄞 \t end");

    /** One damage site: a file of a fixture copy, and how to load the model it belongs to. */
    record Target(String category, String label, Path model, Path adapter, Path file, Mutator mutator, byte[] pristine) {}

    @FunctionalInterface
    interface Mutator {
        byte[] mutate(byte[] pristine, Random rnd, StringBuilder how);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        Path fixtures = Path.of(a.getOrDefault("--fixtures", "src/test/resources/hf"));
        Path work = Files.createDirectories(Path.of(a.getOrDefault("--work", "target/fuzz-work")));
        int cases = Integer.parseInt(a.getOrDefault("--cases", "4000"));
        long seed = Long.parseLong(a.getOrDefault("--seed", "1"));
        double caseSeconds = Double.parseDouble(a.getOrDefault("--case-seconds", "20"));
        int only = Integer.parseInt(a.getOrDefault("--only", "-1"));
        System.exit(run(fixtures, work, cases, seed, caseSeconds, only) ? 0 : 1);
    }

    static boolean run(Path fixtures, Path work, int cases, long seed, double caseSeconds, int only) throws Exception {
        List<Target> targets = targets(fixtures, work);
        List<String> categories = targets.stream().map(Target::category).distinct().toList();
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        List<String> findings = new ArrayList<>();
        Map<String, String> examples = new TreeMap<>();
        long t0 = System.nanoTime();
        ExecutorService runner = newRunner();
        try (Parallel pool = new Parallel(1)) {
            // every target loads and embeds before it is damaged
            for (Target t : targets) {
                String o = exercise(t, pool);
                if (!o.equals("ok")) {
                    throw new IllegalStateException(t.label + " does not work undamaged: " + o);
                }
            }
            for (int i = 0; i < cases; i++) {
                if (only >= 0 && i != only) {
                    continue;
                }
                Random rnd = new Random(seed * 1_000_003L + i);
                String category = categories.get(i % categories.size());
                List<Target> of = targets.stream().filter(t -> t.category.equals(category)).toList();
                Target t = of.get(rnd.nextInt(of.size()));
                StringBuilder how = new StringBuilder(t.label);
                byte[] damaged = t.mutator.mutate(t.pristine, rnd, how);
                Files.write(t.file, damaged);
                String outcome;
                Future<String> f = runner.submit(() -> exercise(t, pool));
                try {
                    outcome = f.get((long) (caseSeconds * 1000), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    outcome = "FINDING: no outcome within " + caseSeconds + " s";
                    runner.shutdownNow();
                    runner = newRunner(); // the stuck thread is abandoned (daemon); the next case gets a fresh one
                }
                Files.write(t.file, t.pristine);
                String kind = outcome.startsWith("FINDING") ? "finding" : outcome.split("\n", 2)[0];
                if (outcome.contains("\n")) {
                    examples.putIfAbsent(category + " / " + kind, how + " -> " + outcome.split("\n", 2)[1]);
                }
                counts.computeIfAbsent(category, k -> new TreeMap<>()).merge(kind, 1, Integer::sum);
                if (kind.equals("finding")) {
                    findings.add("case " + i + " [" + how + "]: " + outcome.substring("FINDING: ".length()));
                }
                if (only >= 0) {
                    System.out.println("case " + i + " [" + how + "]: " + outcome);
                }
            }
        } finally {
            runner.shutdownNow();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        int total = counts.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum();
        System.out.printf("model fuzz: %d cases, seed %d, %.1f s, heap max %d MB%n", total, seed, secs,
                Runtime.getRuntime().maxMemory() >> 20);
        counts.forEach((c, m) -> System.out.println("  " + c + ": " + m));
        System.out.println("  one message per category and outcome:");
        examples.forEach((k, v) -> System.out.println("    " + k + ": " + v));
        System.out.println("  findings: " + findings.size());
        findings.stream().limit(40).forEach(s -> System.out.println("    " + s));
        return findings.isEmpty();
    }

    private static ExecutorService newRunner() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "fuzz-case");
            th.setDaemon(true);
            return th;
        });
    }

    /** "ok", "typed: names the file", "typed: names the directory", "refused non-finite vector", or "FINDING: ...". */
    static String exercise(Target t, Parallel pool) {
        try (Encoder enc = Encoder.builder(t.model.toString()).adapter(t.adapter).pool(pool).build()) {
            float[][] vs = enc.embed(SENTENCES);
            for (float[] v : vs) {
                for (float x : v) {
                    if (!Float.isFinite(x)) {
                        return "FINDING: a non-finite vector without an error";
                    }
                }
            }
            return "ok";
        } catch (SentembException e) {
            String m = String.valueOf(e.getMessage());
            if (m.length() > 600 || m.lines().count() > 2) {
                return "FINDING: an overlong message (" + m.length() + " chars, " + m.lines().count() + " lines): "
                        + m.substring(0, Math.min(200, m.length()));
            }
            if (m.contains("the embedding has a non-finite value")) { // the engine refused the vector: the weights load, the output overflows
                return "refused non-finite vector\n" + m;
            }
            if (m.contains(t.file.getFileName().toString())) {
                return "typed: names the file\n" + m;
            }
            if (m.contains(t.file.getParent().getFileName().toString())) {
                return "typed: names the directory\n" + m;
            }
            return "FINDING: " + e.getClass().getSimpleName() + " naming neither " + t.file.getFileName() + " nor its directory: " + m;
        } catch (Throwable e) {
            StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            return "FINDING: " + sw.toString().lines().limit(5).reduce((x, y) -> x + " | " + y.strip()).orElse(e.toString());
        }
    }

    /** Copies of the fixtures, one per target so damage in one never reaches another. */
    static List<Target> targets(Path fixtures, Path work) throws IOException {
        List<Target> t = new ArrayList<>();
        Mutator json = Mutations::json;
        Mutator safetensors = FormatMutations::safetensors;
        Mutator torch = FormatMutations::torchZip;

        GgufModelBase gguf = GgufModelBase.fromHfFixture(fixtures.resolve("llama"));
        Path ggufDir = Files.createDirectories(work.resolve("gguf-llama"));
        Path ggufFile = ggufDir.resolve("tiny-llama.gguf");
        Files.write(ggufFile, gguf.pristine());
        t.add(new Target("gguf", "gguf tiny-llama", ggufFile, null, ggufFile, (p, r, h) -> gguf.mutate(r, h), gguf.pristine()));

        for (String m : List.of("llama", "gemma3", "qwen2")) {
            t.add(target("safetensors", fixtures, work, m, null, "model.safetensors", safetensors));
        }
        t.add(target("safetensors", fixtures, work, "opt-proj", null, "model-00003-of-00005.safetensors", safetensors));
        t.add(target("safetensors", fixtures, work, "opt-proj", null, "model.safetensors.index.json", json));

        for (String m : List.of("llama", "qwen2", "gemma3", "opt", "opt-proj")) {
            t.add(target("config", fixtures, work, m, null, "config.json", json));
        }
        t.add(target("config", fixtures, work, "llama", null, "tokenizer_config.json", json));

        for (String m : List.of("llama", "qwen2", "gemma3", "opt-bin")) {
            t.add(target("tokenizer", fixtures, work, m, null, "tokenizer.json", json));
        }
        t.add(target("tokenizer", fixtures, work, "opt", null, "vocab.json", json));
        t.add(target("tokenizer", fixtures, work, "opt", null, "merges.txt", Mutations::lines));
        t.add(target("tokenizer", fixtures, work, "llama-spm", null, "tokenizer.model", Mutations::bytes));

        t.add(target("torch", fixtures, work, "opt-bin", null, "pytorch_model.bin", torch));

        t.add(target("adapter", fixtures, work, "llama-lora", "llama", "adapter_config.json", json));
        t.add(target("adapter", fixtures, work, "llama-lora", "llama", "adapter_model.safetensors", safetensors));
        t.add(target("adapter", fixtures, work, "opt-lora", "opt", "adapter_config.json", json));
        t.add(target("adapter", fixtures, work, "opt-lora", "opt", "adapter_model.bin", torch));
        return t;
    }

    /** A copy of fixture {@code dir} (or of an adapter and its base model) with {@code file} as the damage site. */
    private static Target target(String category, Path fixtures, Path work, String dir, String base, String file, Mutator m)
            throws IOException {
        String label = category + " " + dir + "/" + file;
        Path copy = copyDir(fixtures.resolve(dir), work.resolve(category + "-" + dir + "-" + file.replaceAll("[^a-z0-9]", "")));
        Path model = base == null ? copy : copyDir(fixtures.resolve(base), work.resolve(category + "-" + dir + "-base-" + base));
        Path adapter = base == null ? null : copy;
        Path f = copy.resolve(file);
        return new Target(category, label, model, adapter, f, m, Files.readAllBytes(f));
    }

    private static Path copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) {
                    Files.copy(p, to.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }
}
