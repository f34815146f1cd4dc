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
            return owning(load(file, kernels), kernels);
        } catch (RuntimeException e) {
            kernels.close();
            throw e;
        }
    }

    /**
     * Loads with a PEFT LoRA adapter applied (llama and qwen2), on a fresh pool of {@code threads}
     * threads; {@code adapter} null loads the plain model.
     */
    public static TransformerModel load(GgufFile file, int threads, LoraAdapter adapter) {
        Kernels kernels = Kernels.vector(threads);
        try {
            return owning(load(file, kernels, adapter), kernels);
        } catch (RuntimeException e) {
            kernels.close();
            throw e;
        }
    }

    /** Loads on borrowed kernels with a PEFT LoRA adapter applied (llama and qwen2); {@code adapter} null loads the plain model. */
    public static TransformerModel load(GgufFile file, Kernels kernels, LoraAdapter adapter) {
        if (adapter == null) {
            return load(file, kernels);
        }
        String arch = file.metadata().getString("general.architecture", "");
        {
            return switch (arch) {
                case "llama" -> LlamaModel.load(file, ModelConfig.fromGguf(file), kernels, RopeStyle.NORM, adapter);
                case "qwen2" -> LlamaModel.load(file, ModelConfig.fromGguf(file), kernels, RopeStyle.NEOX, adapter);
                default -> throw new UnsupportedArchitectureException(arch + " with a LoRA adapter", List.of("llama", "qwen2"));
            };
        }
    }

    /** The model, closing {@code kernels} when it is closed (they were made for it alone). */
    private static TransformerModel owning(TransformerModel m, Kernels kernels) {
        ((DecoderStack) m).ownAlso(kernels);
        return m;
    }

    /** Loads on the given kernels, which the model borrows (closing it leaves them open). The file must outlive the model. */
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
