package dev.sentemb.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.incubator.vector.FloatVector;

/**
 * What this machine and JVM give the kernels: the CPU (from /proc/cpuinfo where there is one), the vector
 * instruction sets that matter here, the Vector API's preferred width as the JIT sees it (smaller than the
 * CPU's under -XX:UseAVX=2), the matmul tile chosen from it, and the default pool's threads.
 */
public final class CpuInfo {
    /** Flags worth naming: x86's vector and FMA extensions, ARM's SIMD and SVE. */
    private static final Set<String> FLAGS = Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl",
            "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "asimd", "asimdhp", "sve", "sve2");

    private CpuInfo() {}

    /** Label → value, in display order. */
    public static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> cpuinfo = cpuinfo();
        m.put("cpu", field(cpuinfo, "model name").orElse(field(cpuinfo, "Hardware").orElse(System.getProperty("os.arch"))));
        m.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        String flags = field(cpuinfo, "flags").orElse(field(cpuinfo, "Features").orElse(""));
        List<String> named = new ArrayList<>();
        for (String f : flags.split("\\s+")) {
            if (FLAGS.contains(f)) {
                named.add(f);
            }
        }
        m.put("vector isa", named.isEmpty() ? "(not reported)" : String.join(" ", named));
        m.put("jvm vectors", FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit preferred species ("
                + FloatVector.SPECIES_PREFERRED.length() + " floats), " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version"));
        m.put("matmul tile", Matmul.shape());
        m.put("default pool", Parallel.common().threads() + " threads");
        m.put("max heap", (Runtime.getRuntime().maxMemory() >> 20) + " MB");
        return m;
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static java.util.Optional<String> field(List<String> lines, String key) {
        for (String l : lines) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().equals(key)) {
                return java.util.Optional.of(l.substring(colon + 1).trim());
            }
        }
        return java.util.Optional.empty();
    }
}
