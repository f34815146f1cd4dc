package dev.sentemb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.engine.EmbeddingEngine;
import dev.sentemb.eval.sts.StsData;
import dev.sentemb.eval.sts.StsPair;
import dev.sentemb.eval.sts.StsTask;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure embedding throughput on the PromptEOL workload: by default the distinct STS-B test sentences "
                + "(SentEval form, order of first appearance: the same list tools/oracle/bench_peers.py gives the peers).",
                "Prints sentences/s, prompt tokens/s (computed, and represented by the prompts), effective GFLOP/s of the linear "
                + "layers, CPU time and peak RSS; model load and a short warm-up are excluded from the timing.",
                "The human summary goes to stderr, one JSON line to stdout."})
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Sentences, one a line (UTF-8), instead of STS-B test.")
    Path input;

    @Option(names = "--data", paramLabel = "DIR", description = "SentEval's data/downstream folder (default: $SENTEMB_DATA or ../shared/data/senteval).")
    Path data;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Only the first N sentences (0: all). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--batch-tokens", defaultValue = "1024", paramLabel = "N", description = "Computed tokens per packed forward pass. Default: ${DEFAULT-VALUE}.")
    int batchTokens;

    @Option(names = "--no-prefix-cache", description = "Compute every prompt whole (to measure what the shared-prefix cache saves).")
    boolean noPrefixCache;

    @Option(names = "--callers", defaultValue = "0", paramLabel = "N",
            description = "Embed from N concurrent threads, each passing one sentence per call (what a server sees), instead of "
                    + "one call with all the sentences. Default: one call.")
    int callers;

    @Option(names = "--rounds", defaultValue = "0", paramLabel = "N",
            description = "With --callers: time one call with all the sentences and the N callers alternately (ABBA: the callers "
                    + "first in every second round), N rounds in this one process, and print each round's ratio and their median "
                    + "(side by side, so a noisy machine moves both). Default: off.")
    int rounds;

    @Option(names = "--warmup", defaultValue = "16", paramLabel = "N", description = "Sentences embedded before timing (JIT warm-up). Default: ${DEFAULT-VALUE}.")
    int warmup;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rounds > 0 && callers < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rounds compares one call against --callers N: give --callers too");
        }
        List<String> sentences = input != null ? readLines(input) : stsbTest(DataDir.resolve(data));
        if (limit > 0 && sentences.size() > limit) {
            sentences = sentences.subList(0, limit);
        }
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("no sentences to benchmark");
        }
        long loadStart = System.nanoTime();
        try (Encoder enc = model.encoder().batchTokens(batchTokens).prefixCache(!noPrefixCache).build()) {
            double loadS = (System.nanoTime() - loadStart) / 1e9;
            // warm-up on other text than the timed sentences' prompts, so nothing timed is a repeat
            List<String> warm = new ArrayList<>();
            for (int i = 0; i < Math.min(warmup, sentences.size()); i++) warm.add(sentences.get(i) + " (warm-up)");
            if (!warm.isEmpty()) enc.embed(warm);
            if (rounds > 0) {
                return compareRounds(enc, sentences);
            }
            Encoder.Stats before = enc.stats();
            EmbeddingEngine.Stats engineBefore = enc.engine().stats();
            java.util.concurrent.atomic.LongAdder tokenBlocks = new java.util.concurrent.atomic.LongAdder();
            enc.engine().addListener(p -> tokenBlocks.add((long) p.tokens() * p.blocks()));
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            List<EmbedResult> results = callers > 0 ? oneAtATime(enc, sentences, callers) : enc.embedEach(sentences, null);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            Encoder.Stats after = enc.stats();
            EmbeddingEngine.Stats engineAfter = enc.engine().stats();
            long passes = engineAfter.passes() - engineBefore.passes();
            long failed = results.stream().filter(r -> !r.isOk()).count();
            long computed = after.tokensComputed() - before.tokensComputed();
            long represented = after.tokensRepresented() - before.tokensRepresented();
            // a pass that stops at an earlier layer runs fewer blocks: count each token's blocks
            double gflop = (double) tokenBlocks.sum() * enc.config().linearFlopsPerToken() / enc.config().layers() / 1e9;

            Map<String, Object> r = identity(enc);
            r.put("strategy", enc.strategy().describe());
            r.put("prefix_cache", !noPrefixCache);
            r.put("passes", passes);
            r.put("inputs_per_pass", passes == 0 ? 0 : (double) (engineAfter.inputs() - engineBefore.inputs()) / passes);
            r.put("batch_tokens", batchTokens);
            r.put("sentences", sentences.size());
            r.put("distinct_prompts", after.distinctPrompts() - before.distinctPrompts());
            r.put("failed", failed);
            r.put("wall_s", wall);
            r.put("cpu_s", cpu);
            r.put("load_s", loadS);
            r.put("sentences_per_s", sentences.size() / wall);
            r.put("tokens_computed", computed);
            r.put("tokens_represented", represented);
            r.put("tokens_computed_per_s", computed / wall);
            r.put("tokens_represented_per_s", represented / wall);
            r.put("gflop_per_token", enc.config().linearFlopsPerToken() / 1e9); // a full-depth pass's
            r.put("token_blocks", tokenBlocks.sum());
            r.put("effective_gflops", gflop / wall);
            r.put("gflops_per_cpu_s", gflop / cpu);
            r.put("peak_rss_mb", procStatusMb("VmHWM"));
            r.put("model_file_mb", enc.weightBytes() / 1e6);
            r.put("packed_weights_mb", enc.packedWeightBytes() / 1e6);
            r.put("loadavg_at_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.err.printf("sentemb   %s %s threads=%d callers=%d: %d sentences in %.1fs = %.2f sent/s; tokens computed %d (%.0f/s), represented %d (%.0f/s); "
                            + "%.1f GFLOP/s effective (%.1f per CPU-second, CPU %.1fs); %d passes of %.1f prompts; peak RSS %.0f MB; load %.1f%n",
                    model.model, model.templateSpec(), enc.threads(), callers, sentences.size(), wall, sentences.size() / wall, computed, computed / wall,
                    represented, represented / wall, gflop / wall, gflop / cpu, cpu, passes, (double) r.get("inputs_per_pass"), (double) r.get("peak_rss_mb"), (double) r.get("loadavg_at_end"));
            System.err.println("sentemb   kernels: " + enc.kernels() + "; " + String.format("%.0f", enc.packedWeightBytes() / 1e6)
                    + " MB of projection weights packed (--packed-weights " + model.packedWeightsText() + ")");
            System.err.println("sentemb   strategy: " + enc.strategy().describe());
            System.out.println(new ObjectMapper().writeValueAsString(r));
            return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /**
     * {@link #rounds} rounds, each timing one call with every sentence and {@link #callers} one-sentence callers,
     * in ABBA order (one call first in even rounds, the callers first in odd ones); prints each round's rates and
     * ratio, and their medians as one JSON line.
     */
    private int compareRounds(Encoder enc, List<String> sentences) throws InterruptedException {
        double[] one = new double[rounds], many = new double[rounds], ratio = new double[rounds];
        boolean[] callersFirst = new boolean[rounds];
        long failed = 0;
        for (int r = 0; r < rounds; r++) {
            // ABBA: odd rounds time the callers first, so a machine that speeds up or slows down over the run
            // (warm-up, a neighbour's burst ending) favours neither side in the median
            callersFirst[r] = r % 2 == 1;
            for (int side = 0; side < 2; side++) {
                boolean timeCallers = side == 0 ? callersFirst[r] : !callersFirst[r];
                long t0 = System.nanoTime();
                List<EmbedResult> got = timeCallers ? oneAtATime(enc, sentences, callers) : enc.embedEach(sentences, null);
                double rate = sentences.size() / ((System.nanoTime() - t0) / 1e9);
                failed += got.stream().filter(x -> !x.isOk()).count();
                if (timeCallers) {
                    many[r] = rate;
                } else {
                    one[r] = rate;
                }
            }
            ratio[r] = many[r] / one[r];
            System.err.printf("sentemb   round %d (%s first): one call %.2f sent/s, %d callers %.2f sent/s, ratio %.3f%n", r + 1,
                    callersFirst[r] ? "callers" : "one call", one[r], callers, many[r], ratio[r]);
        }
        Map<String, Object> out = identity(enc);
        out.put("packed_weights_mb", enc.packedWeightBytes() / 1e6);
        out.put("sentences", sentences.size());
        out.put("failed", failed);
        out.put("one_call_sentences_per_s", one);
        out.put("callers_sentences_per_s", many);
        out.put("ratios", ratio);
        out.put("callers_first", callersFirst);
        out.put("median_ratio", median(ratio));
        System.err.printf("sentemb   %s %s threads=%d: %d callers / one call, median of %d rounds: %.3f (one call %.2f, callers %.2f sent/s)%n",
                model.model, model.templateSpec(), enc.threads(), callers, rounds, median(ratio), median(one), median(many));
        System.err.println("sentemb   kernels: " + enc.kernels() + "; " + String.format("%.0f", enc.packedWeightBytes() / 1e6) + " MB of projection weights packed");
        try {
            System.out.println(new ObjectMapper().writeValueAsString(out));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** What every bench JSON line says of the run: peer, model, template, threads, callers, kernels, date, machine, JVM. */
    private Map<String, Object> identity(Encoder enc) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("peer", "sentemb");
        r.put("model", model.model);
        r.put("template", model.templateSpec());
        r.put("threads", enc.threads());
        r.put("callers", callers);
        r.put("kernels", enc.kernels());
        r.put("date", LocalDate.now().toString());
        r.put("machine", System.getProperty("os.arch") + " " + Runtime.getRuntime().availableProcessors() + " cpus");
        r.put("java", System.getProperty("java.version"));
        return r;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** {@code callers} threads take the next sentence and embed it alone until none is left; results in input order. */
    static List<EmbedResult> oneAtATime(Encoder enc, List<String> sentences, int callers) throws InterruptedException {
        EmbedResult[] out = new EmbedResult[sentences.size()];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            threads.add(Thread.ofPlatform().name("bench-caller-" + c).start(() -> {
                for (int i; (i = next.getAndIncrement()) < sentences.size(); ) {
                    out[i] = enc.embedEach(List.of(sentences.get(i)), null).get(0);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return java.util.Arrays.asList(out);
    }

    /** Distinct STS-B test sentences in SentEval form, order of first appearance (as bench_peers.py reads them). */
    static List<String> stsbTest(Path senteval) {
        StsTask t = StsData.load(senteval, "STSBenchmark");
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (StsTask.Subset s : t.subsets()) {
            for (StsPair p : s.pairs()) {
                seen.add(p.a());
                seen.add(p.b());
            }
        }
        return new ArrayList<>(seen);
    }

    private static List<String> readLines(Path p) throws java.io.IOException {
        return Files.readAllLines(p, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A "kB" field of /proc/self/status in MB (-1 where there is no such file). */
    static double procStatusMb(String field) {
        return procStatusMb(null, field);
    }

    /** The same field of process {@code pid} (null: this one). */
    static double procStatusMb(Long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + (pid == null ? "self" : pid.toString()) + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
