package dev.sentemb.weights;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a Hugging Face checkpoint: name, element type, PyTorch shape (outermost first, so a
 * linear weight is {@code [out, in]}) and its bytes, row-major and contiguous.
 *
 * @param type  the element type as ggml names it (F32, F16, BF16), or null for a type sentemb does not
 *              decode (integer buffers, F64); {@link #dtype} keeps the file's own name
 * @param dtype the element type as the file spells it ("F32", "BF16", "I64", ...)
 */
public record CheckpointTensor(String name, GgmlType type, String dtype, long[] shape, MemorySegment data, Path file) {

    public long elementCount() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** The element type, or a typed error naming the tensor when sentemb cannot decode it. */
    public GgmlType decodableType() {
        if (type == null) {
            throw new CheckpointFormatException(file, -1, "tensor " + dev.sentemb.SentembException.capped(name) + " has dtype " + dev.sentemb.SentembException.capped(dtype)
                    + ", which sentemb does not decode (supported: F32, F16, BF16)");
        }
        return type;
    }

    /** Maps a safetensors / PyTorch dtype name to the ggml type that decodes it, or null. */
    static GgmlType typeOf(String dtype) {
        return switch (dtype) {
            case "F32" -> GgmlType.F32;
            case "F16" -> GgmlType.F16;
            case "BF16" -> GgmlType.BF16;
            default -> null;
        };
    }

    /** Bytes per element of a dtype, or -1 for an unknown one. */
    static int sizeOf(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> -1;
        };
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
