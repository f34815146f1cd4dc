package dev.sentemb.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * sentemb's matmul and OpenBLAS sgemm timed call by call, alternately, in one JVM: on a shared host whose speed
 * steps by 2× within seconds (another tenant taking the core), JMH's forks measure each side in different
 * seconds, so their ratio carries the host's noise. Here each pair of calls is a few milliseconds apart and
 * runs in ABBA order (who goes first alternates), and the report gives the median and quartiles of the pairs'
 * ratios, which the host's slow seconds move far less than they move either side's own time.
 *
 * <pre>
 *   java ... dev.sentemb.bench.PairedMatmul [--models smollm2-135m,...] [--tensors attn_q,...]
 *        [--tokens 512] [--threads 2] [--pairs 200] [--impl packed|stored|f32]
 * </pre>
 * Run through {@code scripts/bench-kernels.sh --paired ...}, which sets the module options, and under
 * {@code JAVA_TOOL_OPTIONS=-XX:UseAVX=2} holds OpenBLAS to its Haswell kernels as it does for JMH.
 */
public final class PairedMatmul {
    private PairedMatmul() {}

    /** One shape's result: the median time of each side and the ratios of the pairs. */
    record Result(double blasMedianNs, double sentembMedianNs, double[] ratios) {
        double quantile(double q) {
            return PairedMatmul.quantile(ratios, q);
        }

        /** Fraction of pairs where sentemb ran at ≥ {@code bound} × OpenBLAS's speed. */
        double atLeast(double bound) {
            return Arrays.stream(ratios).filter(r -> r >= bound).count() / (double) ratios.length;
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (IllegalArgumentException | IllegalStateException | dev.sentemb.SentembException e) {
            // a bad option, a model not fetched or a tensor it does not have: the message says which, no stack needed
            System.err.println("paired: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) {
        String models = "smollm2-135m";
        String tensors = "attn_q,attn_k,ffn_up,ffn_down";
        int tokens = 512, threads = 2, pairs = 200;
        String impl = "packed";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--models" -> models = v;
                case "--tensors" -> tensors = v;
                case "--tokens" -> tokens = positive(a, v);
                case "--threads" -> threads = positive(a, v);
                case "--pairs" -> pairs = positive(a, v);
                case "--impl" -> {
                    if (!List.of("packed", "stored", "f32").contains(v)) {
                        throw new IllegalArgumentException("--impl " + v + ": expected packed, stored or f32");
                    }
                    impl = v;
                }
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (expected --models, --tensors, --tokens, --threads, --pairs, --impl)");
            }
        }
        OpenBlas probe = OpenBlas.load(1).orElseThrow(() -> new IllegalStateException(
                "no libopenblas found (install libopenblas0-pthread, or set -Dsentemb.openblas=PATH)"));
        String core = probe.describe();
        System.out.println("OpenBLAS: " + core + (System.getenv("OPENBLAS_CORETYPE") != null
                ? " (OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE") + ")" : ""));
        if (OpenBlas.PRE_AVX2_CORES.contains(core.substring(core.lastIndexOf(' ') + 1))) {
            System.out.println("warning: OpenBLAS chose kernels older than AVX2 for this CPU; name them with OPENBLAS_CORETYPE");
        }
        System.out.printf(Locale.ROOT, "sentemb %s, %d pairs a shape in ABBA order, T=%d, %d threads%n%n", impl, pairs, tokens, threads);
        System.out.printf(Locale.ROOT, "%-20s %-9s %6s %6s  %9s %9s  %8s  %-17s %s%n",
                "model", "tensor", "N", "K", "BLAS GF/s", "ours GF/s", "× BLAS", "quartiles", "pairs ≥ 0.9");
        for (String model : models.split(",")) {
            for (String tensor : tensors.split(",")) {
                MatmulBench b = new MatmulBench();
                b.model = model;
                b.tensor = tensor;
                b.tokens = tokens;
                b.threads = threads;
                b.setup();
                try {
                    String which = impl;
                    LongSupplier ours = () -> time(() -> {
                        switch (which) {
                            case "stored" -> b.sentembStored();
                            case "f32" -> b.sentembF32();
                            default -> b.sentembPacked();
                        }
                    });
                    LongSupplier blas = () -> time(b::openblas);
                    Result r = measure(blas, ours, pairs, 2_000_000_000L, 1_000_000L);
                    double flop = 2.0 * tokens * b.rows() * b.cols();
                    System.out.printf(Locale.ROOT, "%-20s %-9s %6d %6d  %9.1f %9.1f  %7.2f×  %.2f–%.2f %10.0f%%%n",
                            model, tensor, b.rows(), b.cols(), flop / r.blasMedianNs(), flop / r.sentembMedianNs(),
                            r.quantile(0.5), r.quantile(0.25), r.quantile(0.75), 100 * r.atLeast(0.9));
                } finally {
                    b.tearDown();
                }
            }
        }
    }

    /**
     * Warms both sides up for {@code warmupNs}, then runs {@code pairs} pairs in ABBA order; each ratio is OpenBLAS's
     * time over sentemb's (above 1: sentemb faster). Each call starts after a pause of {@code pauseNs}, so that
     * neither side's pool threads, still spinning after its last call (sentemb's for 200 µs; OpenBLAS's for as
     * long as {@code OPENBLAS_THREAD_TIMEOUT} says, which the script sets short), take a core from the other's call.
     */
    static Result measure(LongSupplier blas, LongSupplier ours, int pairs, long warmupNs, long pauseNs) {
        long end = System.nanoTime() + warmupNs;
        while (System.nanoTime() < end) {
            blas.getAsLong();
            ours.getAsLong();
        }
        long[] tb = new long[pairs];
        long[] to = new long[pairs];
        double[] ratios = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            if (i % 4 == 0 || i % 4 == 3) {
                tb[i] = after(pauseNs, blas);
                to[i] = after(pauseNs, ours);
            } else {
                to[i] = after(pauseNs, ours);
                tb[i] = after(pauseNs, blas);
            }
            ratios[i] = (double) tb[i] / Math.max(1, to[i]);
        }
        return new Result(median(tb), median(to), ratios);
    }

    private static long after(long pauseNs, LongSupplier call) {
        if (pauseNs > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(pauseNs);
        }
        return call.getAsLong();
    }

    private static long time(Runnable call) {
        long t0 = System.nanoTime();
        call.run();
        return System.nanoTime() - t0;
    }

    static double median(long[] v) {
        return quantile(Arrays.stream(v).asDoubleStream().toArray(), 0.5);
    }

    /** The q-quantile of v, linear between the two nearest ranks. */
    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    private static int positive(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(option + " " + v + ": expected a positive whole number");
    }

}
