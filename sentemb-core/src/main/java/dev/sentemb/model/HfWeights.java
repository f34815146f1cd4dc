package dev.sentemb.model;

import dev.sentemb.kernel.SegmentMatrix;
import dev.sentemb.kernel.WeightMatrix;
import dev.sentemb.weights.CheckpointTensor;
import dev.sentemb.weights.Dequant;
import dev.sentemb.weights.GgmlType;
import dev.sentemb.weights.HfCheckpoint;
import dev.sentemb.weights.Q8Quantizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A Hugging Face checkpoint as a {@link WeightSource}: canonical names are translated to the
 * checkpoint's by {@code names}; matrices stay in the mapping (F32/F16/BF16), or are quantized to
 * Q8_0 on load when asked.
 */
final class HfWeights implements WeightSource {
    private final HfCheckpoint ckpt;
    private final UnaryOperator<String> names;
    private final boolean q8;

    HfWeights(HfCheckpoint ckpt, UnaryOperator<String> names, boolean q8) {
        this.ckpt = ckpt;
        this.names = names;
        this.q8 = q8;
    }

    private CheckpointTensor tensor(String name) {
        String hf = names.apply(name);
        return ckpt.find(hf).orElseThrow(() -> new ModelFormatException("missing tensor " + hf + " in " + describe()));
    }

    /** The file a tensor came from (a shard, the one safetensors file, pytorch_model.bin), else the checkpoint. */
    private String where(CheckpointTensor t) {
        return t.file() != null ? t.file().toString() : describe();
    }

    @Override
    public boolean has(String name) {
        return ckpt.find(names.apply(name)).isPresent();
    }

    @Override
    public WeightMatrix matrix(String name, int rows, int cols) {
        CheckpointTensor t = tensor(name);
        long[] s = t.shape();
        if (s.length != 2 || s[0] != rows || s[1] != cols) {
            throw new ModelFormatException("tensor " + t.name() + " in " + where(t) + " has shape " + Arrays.toString(s)
                    + ", expected [" + rows + ", " + cols + "] (from config.json)");
        }
        GgmlType type = t.decodableType();
        if (q8 && cols % 32 == 0) {
            return quantized(t.name(), type, t.data(), rows, cols);
        }
        return new SegmentMatrix(t.name(), type, t.data(), rows, cols);
    }

    /** Q8_0 blocks of the matrix, one row at a time (the fp32 copy never exists whole). */
    static WeightMatrix quantized(String name, GgmlType type, MemorySegment src, int rows, int cols) {
        MemorySegment q = Arena.ofAuto().allocate((long) rows * (cols / 32) * 34, 8);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            Dequant.dequantize(type, src, (long) r * cols, row, 0, cols);
            Q8Quantizer.quantize(row, cols, q, (long) r * (cols / 32) * 34);
        }
        return new SegmentMatrix(name, GgmlType.Q8_0, q, rows, cols);
    }

    @Override
    public Optional<float[]> optionalVector(String name, int length) {
        return ckpt.find(names.apply(name)).map(t -> {
            if (t.shape().length != 1 || t.shape()[0] != length) {
                throw new ModelFormatException("tensor " + t.name() + " in " + where(t) + " has shape "
                        + Arrays.toString(t.shape()) + ", expected [" + length + "] (from config.json)");
            }
            float[] v = new float[length];
            Dequant.dequantize(t.decodableType(), t.data(), 0, v, 0, length);
            return v;
        });
    }

    @Override
    public String moduleName(String prefix) {
        return names.apply(prefix);
    }

    @Override
    public String describe() {
        return ckpt.directory().toString();
    }
}
