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

    private final MethodHandle sgemm;

    private OpenBlas(SymbolLookup lib) {
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
