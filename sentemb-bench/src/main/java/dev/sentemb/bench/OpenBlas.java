package dev.sentemb.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * OpenBLAS {@code cblas_sgemm} through the FFM API, as the yardstick for the Vector API kernels (the
 * system's libopenblas, e.g. Debian's {@code libopenblas0-pthread}). Only benchmarks use it.
 */
final class OpenBlas {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    private static final List<String> CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/libopenblas.so.0", "/usr/lib64/libopenblas.so.0");

    /** x86 kernel sets without AVX2 FMA, as openblas_get_corename names them. */
    static final java.util.Set<String> PRE_AVX2_CORES = java.util.Set.of("Katmai", "Coppermine", "Northwood", "Prescott", "Banias",
            "Atom", "Core2", "Penryn", "Dunnington", "Nehalem", "Sandybridge", "Opteron", "Opteron(SSE3)", "Barcelona", "Nano",
            "Bobcat", "Bulldozer", "Piledriver", "Steamroller", "Excavator");

    private final MethodHandle sgemm;
    private final SymbolLookup lib;

    private OpenBlas(SymbolLookup lib) {
        this.lib = lib;
        Linker linker = Linker.nativeLinker();
        this.sgemm = linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    /** The library with {@code threads} threads, or empty when no libopenblas is installed. */
    static Optional<OpenBlas> load(int threads) {
        String override = System.getProperty("sentemb.openblas");
        List<String> paths = override != null ? List.of(override) : CANDIDATES;
        for (String p : paths) {
            if (Files.isRegularFile(Path.of(p))) {
                SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(p), Arena.global());
                try {
                    MethodHandle setThreads = Linker.nativeLinker().downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(),
                            FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
                    setThreads.invokeExact(threads);
                } catch (Throwable t) {
                    throw new IllegalStateException("openblas_set_num_threads failed", t);
                }
                return Optional.of(new OpenBlas(lib));
            }
        }
        return Optional.empty();
    }

    /**
     * The kernel set the library chose for this CPU ({@code openblas_get_corename}) and its build
     * ({@code openblas_get_config}). A library older than the CPU falls back to a generic core (0.3.21
     * calls a 2023 Xeon "Prescott": SSE3 kernels, a quarter of the speed), which makes it no yardstick;
     * {@code OPENBLAS_CORETYPE} then names the kernels to use.
     */
    String describe() {
        return call("openblas_get_config") + ", core " + call("openblas_get_corename");
    }

    private String call(String function) {
        try {
            MethodHandle h = Linker.nativeLinker().downcallHandle(lib.find(function).orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS));
            MemorySegment s = (MemorySegment) h.invokeExact();
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "?";
        }
    }

    /** c[M×K] = a[M×N] · b with b [N×K] (row-major; the input gradient Kernels.matmulTransposed computes). */
    void matmul(MemorySegment a, MemorySegment b, MemorySegment c, int m, int n, int k) {
        try {
            sgemm.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, k, n, 1f, a, n, b, k, 0f, c, k);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }

    /** c[M×N] = a[M×K] · bᵀ with b [N×K] (row-major; the same product as Kernels.matmul). */
    void matmulTransB(MemorySegment a, MemorySegment b, MemorySegment c, int m, int n, int k) {
        try {
            sgemm.invokeExact(ROW_MAJOR, NO_TRANS, TRANS, m, n, k, 1f, a, k, b, k, 0f, c, n);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }
}
