package dev.sentemb.bench;

import dev.sentemb.kernel.GgufMatrix;
import dev.sentemb.weights.GgufFile;
import dev.sentemb.weights.GgufTensor;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One block format's decoder on a real tensor: every row of the first 2-D tensor of that type in the
 * registry's models (smollm2, gemma3, qwen2.5-coder 0.5b and 1.5b, whichever are in the cache), decoded
 * {@link #ROWS} rows at a time into one fp32 buffer, as the matmul decodes a panel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecodeBench {
    static final int ROWS = 64;
    static final List<String> MODELS = List.of("smollm2-135m", "gemma3-270m", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b");

    @Param({"Q4_1", "Q5_0", "Q8_0", "Q4_K", "Q6_K"})
    public String type;

    private GgufFile file;
    private GgufMatrix matrix;
    private float[] buffer;

    @Setup(Level.Trial)
    public void setup() {
        String model = modelWith(type);
        if (model == null) {
            throw new IllegalStateException("no cached model has a 2-D " + type + " tensor");
        }
        file = GgufFile.open(MatmulBench.modelPath(model));
        matrix = new GgufMatrix(find(file, type));
        buffer = new float[ROWS * matrix.cols()];
    }

    /** The first of {@link #MODELS} in the cache with a 2-D tensor of {@code type}, or null. */
    static String modelWith(String type) {
        for (String m : MODELS) {
            if (Files.isRegularFile(MatmulBench.modelPath(m))) {
                try (GgufFile f = GgufFile.open(MatmulBench.modelPath(m))) {
                    if (find(f, type) != null) return m;
                }
            }
        }
        return null;
    }

    /** The first 2-D tensor of {@code type} in {@code f}, or null. */
    static GgufTensor find(GgufFile f, String type) {
        for (GgufTensor t : f.tensors()) {
            if (t.type().name().equals(type) && t.dims().length == 2) return t;
        }
        return null;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        file.close();
    }

    /** Decodes the whole tensor, ROWS rows at a time. */
    @Benchmark
    public float[] decode() {
        for (int r = 0; r < matrix.rows(); r += ROWS) {
            matrix.decodeRows(r, Math.min(ROWS, matrix.rows() - r), buffer, 0);
        }
        return buffer;
    }
}
