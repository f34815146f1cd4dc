package dev.sentemb.bench;

import dev.sentemb.kernel.AttentionShape;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.KvPrefix;
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
 * The forward pass's other kernels at smollm2-135m's shapes (width 576, 9 query heads and 3 kv heads of 64,
 * FFN 1536) on a packed batch of {@code sequences} × {@code length} tokens, as the engine runs them:
 * causal attention over the packed sequences (after a shared prefix of {@code prefix} rows, as a template's cached
 * head), RMSNorm of every row, SwiGLU of every FFN row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpsBench {
    static final int DIM = 576, HEADS = 9, KV_HEADS = 3, FFN = 1536;

    @Param({"64"})
    public int sequences;

    /** Tokens per sequence (a STS sentence in the plain template is ~14 computed tokens). */
    @Param({"16"})
    public int length;

    @Param({"2"})
    public int threads;

    /** Attention's head width (smollm2 and qwen2.5-coder-0.5b: 64; qwen2.5-coder-1.5b: 128; gemma3: 256), 9 heads over 3 kv heads. */
    @Param({"64"})
    public int headDim;

    /** Rows of the shared prefix every sequence attends to first (PromptEOL's head is 3 tokens, MetaEOL's ~70). */
    @Param({"0"})
    public int prefix;

    private Kernels kernels;
    private float[] q, k, v, attnOut, x, normOut, weight, gate, up, gateIn;
    private int[] offsets;
    private KvPrefix past;
    private AttentionShape shape;

    @Setup(Level.Trial)
    public void setup() {
        int t = sequences * length;
        Random r = new Random(3);
        q = gaussian(r, t * HEADS * headDim);
        k = gaussian(r, t * KV_HEADS * headDim);
        v = gaussian(r, t * KV_HEADS * headDim);
        attnOut = new float[t * HEADS * headDim];
        offsets = new int[sequences + 1];
        for (int s = 0; s <= sequences; s++) offsets[s] = s * length;
        past = prefix == 0 ? KvPrefix.EMPTY
                : new KvPrefix(gaussian(r, prefix * KV_HEADS * headDim), gaussian(r, prefix * KV_HEADS * headDim), prefix);
        shape = new AttentionShape(HEADS, KV_HEADS, headDim, (float) (1 / Math.sqrt(headDim)), 0);
        x = gaussian(r, t * DIM);
        normOut = new float[t * DIM];
        weight = gaussian(r, DIM);
        gateIn = gaussian(r, t * FFN);
        gate = new float[t * FFN];
        up = gaussian(r, t * FFN);
        kernels = Kernels.vector(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        kernels.close();
    }

    static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    @Benchmark
    public float[] attention() {
        kernels.attention(q, k, v, offsets, past, shape, attnOut);
        return attnOut;
    }

    @Benchmark
    public float[] rmsNorm() {
        kernels.rmsNorm(x, sequences * length, weight, 1e-5f, normOut);
        return normOut;
    }

    @Benchmark
    public float[] siluMul() {
        System.arraycopy(gateIn, 0, gate, 0, gate.length); // siluMul works in place
        kernels.siluMul(gate, up, gate.length);
        return gate;
    }
}
