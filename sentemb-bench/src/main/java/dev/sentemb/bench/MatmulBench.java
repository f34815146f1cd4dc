package dev.sentemb.bench;

import dev.sentemb.kernel.DenseMatrix;
import dev.sentemb.kernel.GgufMatrix;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.PackedMatrix;
import dev.sentemb.kernel.WeightMatrix;
import dev.sentemb.weights.GgufFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Random;
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
 * One prefill product out[T×N] = x[T×K]·Wᵀ on a real weight of a real model (layer 0's tensor of that
 * name, so its real shape and storage type): sentemb's kernel on the weight as stored (decoded per
 * tile), the same kernel on the weight expanded to fp32, and OpenBLAS sgemm on that fp32 copy; and
 * training's input gradient dx = dy·W beside OpenBLAS's (the {@code backward*} pair).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MatmulBench {
    @Param({"smollm2-135m"})
    public String model;

    @Param({"attn_q", "attn_k", "ffn_up", "ffn_down"})
    public String tensor;

    /** Tokens in the packed batch (M). */
    @Param({"512"})
    public int tokens;

    @Param({"2"})
    public int threads;

    private GgufFile file;
    private Kernels kernels;
    private WeightMatrix stored;
    private WeightMatrix fp32;
    private WeightMatrix packed;
    private float[] x;
    private float[] out;
    private float[] dy;
    private float[] dx;
    private Arena arena;
    private OpenBlas blas;
    private MemorySegment xs, ws, os, dys, dxs;

    @Setup(Level.Trial)
    public void setup() {
        file = GgufFile.open(modelPath(model));
        stored = new GgufMatrix(file.tensor("blk.0." + tensor + ".weight"));
        float[] w = new float[stored.rows() * stored.cols()];
        stored.decodeRows(0, stored.rows(), w, 0);
        fp32 = new DenseMatrix(w, stored.rows(), stored.cols());
        packed = PackedMatrix.of(stored);
        Random r = new Random(1);
        x = new float[tokens * stored.cols()];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        out = new float[tokens * stored.rows()];
        dy = new float[tokens * stored.rows()];
        for (int i = 0; i < dy.length; i++) dy[i] = (float) r.nextGaussian();
        dx = new float[tokens * stored.cols()];
        kernels = Kernels.vector(threads);
        blas = OpenBlas.load(threads).orElse(null);
        arena = Arena.ofShared();
        xs = arena.allocateFrom(ValueLayout.JAVA_FLOAT, x);
        ws = arena.allocateFrom(ValueLayout.JAVA_FLOAT, w);
        os = arena.allocate(ValueLayout.JAVA_FLOAT, out.length);
        dys = arena.allocateFrom(ValueLayout.JAVA_FLOAT, dy);
        dxs = arena.allocate(ValueLayout.JAVA_FLOAT, dx.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        kernels.close();
        arena.close();
        file.close();
    }

    /** sentemb on the weight as stored in the file (Q4_1, Q8_0, Q4_K, ...). */
    @Benchmark
    public float[] sentembStored() {
        kernels.matmul(x, tokens, stored, out);
        return out;
    }

    /** sentemb on the weight packed in the kernel's panel layout beforehand (the tiles alone: no decoding, no packing). */
    @Benchmark
    public float[] sentembPacked() {
        kernels.matmul(x, tokens, packed, out);
        return out;
    }

    /** sentemb on an fp32 copy (the kernel without the per-tile decode). */
    @Benchmark
    public float[] sentembF32() {
        kernels.matmul(x, tokens, fp32, out);
        return out;
    }

    /** OpenBLAS sgemm on the same fp32 copy (skipped with an error when no libopenblas is installed). */
    @Benchmark
    public MemorySegment openblas() {
        if (blas == null) {
            throw new IllegalStateException("no libopenblas found (install libopenblas0-pthread, or set -Dsentemb.openblas=PATH)");
        }
        blas.matmulTransB(xs, ws, os, tokens, stored.rows(), stored.cols());
        return os;
    }

    /** Training's input gradient dx[T×K] = dy[T×N]·W through the weight as stored (the same FLOPs as the forward). */
    @Benchmark
    public float[] backwardStored() {
        kernels.matmulTransposed(dy, tokens, stored, dx);
        return dx;
    }

    /** OpenBLAS sgemm of the same input gradient on the fp32 copy. */
    @Benchmark
    public MemorySegment backwardOpenblas() {
        if (blas == null) {
            throw new IllegalStateException("no libopenblas found (install libopenblas0-pthread, or set -Dsentemb.openblas=PATH)");
        }
        blas.matmul(dys, ws, dxs, tokens, stored.rows(), stored.cols());
        return dxs;
    }

    /** N and K of the weight (after {@link #setup}). */
    int rows() {
        return stored.rows();
    }

    int cols() {
        return stored.cols();
    }

    static Path modelPath(String name) {
        return dev.sentemb.load.CacheDirs.sentembHome().resolve("models").resolve(name + ".gguf");
    }
}
