package dev.sentemb.model;

import dev.sentemb.kernel.GgufMatrix;
import dev.sentemb.kernel.WeightMatrix;
import dev.sentemb.weights.Dequant;
import dev.sentemb.weights.GgufFile;
import dev.sentemb.weights.GgufTensor;
import java.util.Arrays;
import java.util.Optional;

/**
 * Looks up a model's tensors by their llama.cpp names and checks their shapes, so that a wrong or
 * truncated file fails at load time with the tensor's name instead of deep inside a kernel.
 * Matrices stay in the mapping; vectors (norm gains, biases) are decoded to fp32 once.
 */
final class GgufWeights implements WeightSource {
    private final GgufFile file;
    private final java.util.function.UnaryOperator<String> moduleNames;
    private final ModelConfig permutedQk;

    /**
     * @param moduleNames canonical name to transformers' name (for adapters)
     * @param permutedQk  the config of a llama file whose q/k rows llama.cpp's converter permuted, or null
     */
    GgufWeights(GgufFile file, java.util.function.UnaryOperator<String> moduleNames, ModelConfig permutedQk) {
        this.file = file;
        this.moduleNames = moduleNames;
        this.permutedQk = permutedQk;
    }

    @Override
    public String moduleName(String prefix) {
        return moduleNames.apply(prefix);
    }

    @Override
    public int permutedHeads(String prefix) {
        if (permutedQk == null) {
            return 0;
        }
        return prefix.endsWith(".attn_q") ? permutedQk.heads() : prefix.endsWith(".attn_k") ? permutedQk.kvHeads() : 0;
    }

    /** W [rows × cols] (ggml dims {cols, rows}). */
    @Override
    public WeightMatrix matrix(String name, int rows, int cols) {
        GgufTensor t = tensor(name);
        if (t.nDims() != 2 || t.rows() != rows || t.cols() != cols) {
            throw new ModelFormatException("tensor " + name + " has ggml dims " + Arrays.toString(t.dims())
                    + ", expected [" + cols + ", " + rows + "]");
        }
        try {
            return new GgufMatrix(t);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(e.getMessage());
        }
    }

    @Override
    public Optional<float[]> optionalVector(String name, int length) {
        return file.findTensor(name).map(t -> {
            if (t.elementCount() != length || t.nDims() != 1) {
                throw new ModelFormatException("tensor " + name + " has ggml dims " + Arrays.toString(t.dims()) + ", expected [" + length + "]");
            }
            float[] v = new float[length];
            Dequant.dequantize(t.type(), t.data(), 0, v, 0, length);
            return v;
        });
    }

    @Override
    public boolean has(String name) {
        return file.findTensor(name).isPresent();
    }

    @Override
    public String describe() {
        return file.path().toString();
    }

    private GgufTensor tensor(String name) {
        return file.findTensor(name).orElseThrow(() -> missing(name));
    }

    private ModelFormatException missing(String name) {
        return new ModelFormatException("missing tensor " + name + " in " + file.path());
    }
}
