package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.RopeStyle;
import dev.sentemb.weights.GgufFile;
import java.util.List;

/**
 * Builds the right {@link TransformerModel} for a GGUF file from its {@code general.architecture}.
 * Each architecture is a small class over the shared blocks (attention, norms, MLPs, RoPE); adding one
 * (gemma3: scaled embeddings, extra norms, GELU MLP, sliding-window layers) is a new class and a new
 * case here.
 */
public final class ModelLoader {
    /** Architectures this engine runs, as GGUF names them. */
    public static final List<String> SUPPORTED = List.of("llama", "qwen2", "gemma3");

    private ModelLoader() {}

    /** Loads on a fresh Vector API kernel pool of {@code threads} threads, owned (and closed) by the model. */
    public static TransformerModel load(GgufFile file, int threads) {
        Kernels kernels = Kernels.vector(threads);
        try {
            return load(file, kernels);
        } catch (RuntimeException e) {
            kernels.close();
            throw e;
        }
    }

    /** Loads on the given kernels; the model's {@code close()} closes them. The file must outlive the model. */
    public static TransformerModel load(GgufFile file, Kernels kernels) {
        String arch = file.metadata().getString("general.architecture", "");
        // RoPE layout per architecture follows llama.cpp: the converter permutes llama's Q/K rows
        // (adjacent-pair "normal" rope), qwen2 keeps Hugging Face's half-split (NEOX) layout.
        return switch (arch) {
            case "llama" -> LlamaModel.load(file, ModelConfig.fromGguf(file), kernels, RopeStyle.NORM);
            case "qwen2" -> LlamaModel.load(file, ModelConfig.fromGguf(file), kernels, RopeStyle.NEOX);
            case "gemma3" -> Gemma3Model.load(file, ModelConfig.fromGguf(file), kernels);
            default -> throw new UnsupportedArchitectureException(arch.isEmpty() ? "(none)" : arch, SUPPORTED);
        };
    }
}
