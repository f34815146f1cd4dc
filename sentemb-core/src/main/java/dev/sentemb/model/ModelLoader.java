package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.RopeStyle;
import dev.sentemb.weights.GgufFile;
import dev.sentemb.weights.GgufMetadata;
import java.util.List;

/**
 * Builds the right {@link TransformerModel} for a GGUF file from its {@code general.architecture}: the
 * GGUF side of loading (a weight source over the file's tensors, the config from its metadata), the
 * architectures being the same small classes an HF checkpoint builds ({@link HfModels}). An adapter is
 * a decorator of the weight source, so it works on every architecture.
 */
public final class ModelLoader {
    /** Architectures this engine runs, as GGUF names them. */
    public static final List<String> SUPPORTED = List.of("llama", "qwen2", "gemma3");

    private ModelLoader() {}

    /** Loads on a fresh Vector API kernel pool of {@code threads} threads, owned (and closed) by the model. */
    public static TransformerModel load(GgufFile file, int threads) {
        return load(file, threads, null);
    }

    /** As {@link #load(GgufFile, int)} with a PEFT LoRA adapter applied; {@code adapter} null loads the plain model. */
    public static TransformerModel load(GgufFile file, int threads, LoraAdapter adapter) {
        Kernels kernels = Kernels.vector(threads);
        try {
            DecoderStack m = (DecoderStack) load(file, kernels, adapter);
            m.ownAlso(kernels);
            return m;
        } catch (RuntimeException e) {
            kernels.close();
            throw e;
        }
    }

    /** Loads on the given kernels, which the model borrows (closing it leaves them open). The file must outlive the model. */
    public static TransformerModel load(GgufFile file, Kernels kernels) {
        return load(file, kernels, null);
    }

    /** Loads on borrowed kernels with a PEFT LoRA adapter applied (null: none). */
    public static TransformerModel load(GgufFile file, Kernels kernels, LoraAdapter adapter) {
        return load(file, kernels, adapter, 0);
    }

    /**
     * As {@link #load(GgufFile, Kernels, LoraAdapter)}, keeping up to {@code packedBytes} of projection
     * weights decoded in the kernel's panel layout (0: none; see {@link PackedWeights}).
     */
    public static TransformerModel load(GgufFile file, Kernels kernels, LoraAdapter adapter, long packedBytes) {
        try {
            return build(file, kernels, adapter, packedBytes);
        } catch (ModelFormatException e) {
            throw adapter != null && adapter.namedIn(e.getMessage()) ? e : ModelFormatException.in(file.path(), e);
        }
    }

    private static TransformerModel build(GgufFile file, Kernels kernels, LoraAdapter adapter, long packedBytes) {
        String arch = file.metadata().getString("general.architecture", "");
        if (!SUPPORTED.contains(arch)) {
            throw new UnsupportedArchitectureException(file.path() + ": 'general.architecture'", arch.isEmpty() ? "(absent)" : arch, SUPPORTED);
        }
        ModelConfig c = ModelConfig.fromGguf(file);
        // RoPE layout per architecture follows llama.cpp: the converter permutes llama's Q/K rows
        // (adjacent-pair "normal" rope), qwen2 and gemma3 keep Hugging Face's half-split (NEOX) layout.
        WeightSource w = AdaptedWeights.over(switch (arch) {
            case "llama" -> new GgufWeights(file, TensorNames::llama, c);
            case "qwen2" -> new GgufWeights(file, TensorNames::llama, null);
            default -> new GgufWeights(file, TensorNames::gemma, null);
        }, adapter);
        w = PackedWeights.over(w, packedBytes);
        TransformerModel m = switch (arch) {
            case "llama" -> LlamaModel.load(w, c, kernels, RopeStyle.NORM);
            case "qwen2" -> LlamaModel.load(w, c, kernels, RopeStyle.NEOX);
            default -> Gemma3Model.load(w, c, kernels, gemmaLayout(file.metadata(), c));
        };
        if (adapter != null) {
            adapter.checkAllApplied();
        }
        return m;
    }

    /**
     * What the GGUF does not state is taken from llama.cpp's gemma3 loader, which agrees with
     * transformers' Gemma3TextConfig defaults: every 6th layer is global, the rest local; local layers
     * use RoPE base 10000 ({@code rope.freq_base_swa} if present); scores are scaled by 1/√headDim,
     * except for the 62-layer 27B model, which uses 1/√(d/heads); norm gains are used as stored.
     */
    private static Gemma3Model.Layout gemmaLayout(GgufMetadata md, ModelConfig c) {
        String p0 = c.architecture() + ".";
        int window = md.getInt(p0 + "attention.sliding_window", 0);
        float localBase = md.getFloat(p0 + "rope.freq_base_swa", Gemma3Model.LOCAL_ROPE_BASE);
        float scale = (float) (1.0 / Math.sqrt(c.layers() == 62 ? (double) c.dim() / c.heads() : c.headDim()));
        return new Gemma3Model.Layout(window, localBase, scale, Gemma3Model::isLocal, false);
    }
}
