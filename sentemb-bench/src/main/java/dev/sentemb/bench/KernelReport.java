package dev.sentemb.bench;

import dev.sentemb.kernel.GgufMatrix;
import dev.sentemb.weights.GgufFile;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;

/**
 * Runs the JMH benchmarks (any JMH command-line options pass through) and prints each matmul's
 * GFLOP/s (2·T·N·K per call), the fraction of the fp32 FMA peak ({@code -Dsentemb.peakGflopsPerCore},
 * default 78.24: 2 FMA units × 8 lanes × 2 FLOPs × 2.445 GHz) and the ratio to OpenBLAS in the same run.
 */
public final class KernelReport {
    private KernelReport() {}

    public static void main(String[] args) throws Exception {
        Options opts = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(opts).run();
        double peakPerCore = Double.parseDouble(System.getProperty("sentemb.peakGflopsPerCore", "78.24"));
        java.util.Map<String, Double> blas = new java.util.HashMap<>();
        java.util.List<String[]> lines = new java.util.ArrayList<>();
        java.util.List<String> others = new java.util.ArrayList<>();
        for (RunResult r : results) {
            var p = r.getParams();
            if (!p.getBenchmark().contains("MatmulBench")) {
                others.add(other(r));
                continue;
            }
            String model = p.getParam("model"), tensor = p.getParam("tensor");
            int t = Integer.parseInt(p.getParam("tokens")), threads = Integer.parseInt(p.getParam("threads"));
            int n, k;
            try (GgufFile f = GgufFile.open(MatmulBench.modelPath(model))) {
                GgufMatrix m = new GgufMatrix(f.tensor("blk.0." + tensor + ".weight"));
                n = m.rows();
                k = m.cols();
            }
            String impl = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
            double ms = r.getPrimaryResult().getScore();
            double gflops = 2.0 * t * n * k / (ms * 1e6);
            String key = model + tensor + t + threads + (impl.startsWith("backward") ? "/backward" : "");
            if (impl.equals("openblas") || impl.equals("backwardOpenblas")) blas.put(key, gflops);
            lines.add(new String[] {key, String.format(Locale.ROOT, "%-14s %-9s %6d %6d %6d %3d  %-14s %9.3f %8.1f %7.0f%%",
                    model, tensor, t, n, k, threads, impl, ms, gflops, 100 * gflops / (peakPerCore * threads)), Double.toString(gflops), impl});
        }
        if (!blas.isEmpty()) {
            // The forks inherit the environment, so the library loaded here chose what theirs did.
            OpenBlas.load(1).ifPresent(b -> {
                String d = b.describe();
                System.out.println("OpenBLAS: " + d
                        + (System.getenv("OPENBLAS_CORETYPE") != null ? " (OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE") + ")" : ""));
                if (OpenBlas.PRE_AVX2_CORES.contains(d.substring(d.lastIndexOf(' ') + 1))) {
                    System.out.println("warning: OpenBLAS chose kernels older than AVX2 for this CPU, so its rows are no yardstick;"
                            + " name the right ones with OPENBLAS_CORETYPE (Haswell for AVX2, SkylakeX for AVX-512)");
                }
            });
        }
        System.out.printf(Locale.ROOT, "%n%-14s %-9s %6s %6s %6s %3s  %-14s %9s %8s %8s%n",
                "model", "tensor", "T", "N", "K", "thr", "impl", "ms/call", "GFLOP/s", "of peak");
        for (String[] l : lines) {
            Double b = blas.get(l[0]);
            String ratio = b == null || l[3].equals("openblas") || l[3].equals("backwardOpenblas") ? "" : String.format(Locale.ROOT, "  %.2f× OpenBLAS", Double.parseDouble(l[2]) / b);
            System.out.println(l[1] + ratio);
        }
        if (!others.isEmpty()) {
            System.out.println();
            others.forEach(System.out::println);
        }
    }

    /** A line for a DecodeBench or OpsBench result: time per call and per element. */
    private static String other(RunResult r) throws Exception {
        var p = r.getParams();
        String bench = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.', p.getBenchmark().lastIndexOf('.') - 1) + 1);
        double us = r.getPrimaryResult().getScore();
        if (bench.startsWith("DecodeBench")) {
            String type = p.getParam("type");
            String m = DecodeBench.modelWith(type);
            if (m == null) {
                return "decode " + type + ": no tensor";
            }
            try (GgufFile f = GgufFile.open(MatmulBench.modelPath(m))) {
                var t = DecodeBench.find(f, type);
                GgufMatrix w = new GgufMatrix(t);
                long n = (long) w.rows() * w.cols();
                return String.format(Locale.ROOT, "decode %-5s %-28s %9.1f µs/call %7.3f ns/weight (1 thread)",
                        type, m + ":" + t.name(), us, us * 1000 / n);
            }
        }
        int tokens = Integer.parseInt(p.getParam("sequences")) * Integer.parseInt(p.getParam("length"));
        return String.format(Locale.ROOT, "%-20s %d×%s tokens, %s threads %9.1f µs/call %8.1f ns/token", bench,
                Integer.parseInt(p.getParam("sequences")), p.getParam("length"), p.getParam("threads"), us, us * 1000 / tokens);
    }
}
