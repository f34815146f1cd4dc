package dev.sentemb.kernel;

/**
 * The heavy operations of a transformer forward pass, on row-major fp32 activations. This is the one
 * seam between the model code and the hardware: a GPU or native backend implements these methods and
 * nothing else changes. "rows" is always the number of tokens in the packed batch.
 *
 * <p>Implementations are thread-safe: any number of forward passes may call them at once.
 */
public interface Kernels extends AutoCloseable {

    /**
     * The Vector API implementation on a pool of its own of {@code threads} threads (the caller
     * included); {@link #close} stops that pool.
     */
    static Kernels vector(int threads) {
        return new VectorKernels(new Parallel(threads), true);
    }

    /** The Vector API implementation on the application's pool, which it borrows: {@link #close} leaves it running. */
    static Kernels vector(Parallel pool) {
        return new VectorKernels(pool, false);
    }

    /** The pool the kernels run on. */
    Parallel pool();

    /** What runs the operations, for reports: the implementation, its vector shape, its threads. */
    String describe();

    /** Threads a single call may use. */
    int threads();

    /** out[rows × N] = x[rows × K] · Wᵀ, W being [N × K] in any encoding. */
    void matmul(float[] x, int rows, WeightMatrix w, float[] out);

    /** x[t][:] += bias for every row t; the width is bias.length. */
    void addBias(float[] x, int rows, float[] bias);

    /** out[t] = x[t] / sqrt(mean(x[t]²) + eps) · weight; the width is weight.length. out may be x. */
    void rmsNorm(float[] x, int rows, float[] weight, float eps, float[] out);

    /** Rotates each head of x[rows × heads·headDim] in place, row t being at position positions[t]. */
    void rope(float[] x, int rows, int heads, int headDim, int[] positions, Rope rope);

    /**
     * Causal attention of a packed batch: sequence s owns rows offsets[s] .. offsets[s+1]-1 of
     * q[T × heads·headDim], k and v [T × kvHeads·headDim]; out is [T × heads·headDim].
     */
    default void attention(float[] q, float[] k, float[] v, int[] offsets, AttentionShape shape, float[] out) {
        attention(q, k, v, offsets, KvPrefix.EMPTY, shape, out);
    }

    /**
     * Causal attention as above, every sequence seeing the {@code past} rows first (a shared prompt
     * prefix computed once): its own row i is at position past.length() + i and attends to all past
     * rows and to its own rows 0..i. Equal, bit for bit, to running the prefix's tokens in front of each
     * sequence.
     */
    void attention(float[] q, float[] k, float[] v, int[] offsets, KvPrefix past, AttentionShape shape, float[] out);

    /** gate[i] = silu(gate[i]) · up[i] for i < n (the SwiGLU activation). */
    void siluMul(float[] gate, float[] up, int n);

    /**
     * gate[i] = gelu(gate[i]) · up[i] for i < n (GeGLU, Gemma), with the tanh approximation
     * gelu(x) = x/2 · (1 + tanh(√(2/π) · (x + 0.044715·x³))).
     */
    void geluTanhMul(float[] gate, float[] up, int n);

    /** dst[i] += src[i] for i < n (residual connection). */
    void add(float[] dst, float[] src, int n);

    /**
     * LayerNorm (OPT): out[t] = (x[t] − mean) / sqrt(var + eps) · weight + bias, the width being
     * weight.length; mean and (biased) variance accumulated in double. out may be x. A default so that
     * backends without it still run the llama family; a fast backend overrides it.
     */
    default void layerNorm(float[] x, int rows, float[] weight, float[] bias, float eps, float[] out) {
        int d = weight.length;
        for (int t = 0; t < rows; t++) {
            int o = t * d;
            double sum = 0;
            for (int i = 0; i < d; i++) {
                sum += x[o + i];
            }
            double mean = sum / d;
            double sq = 0;
            for (int i = 0; i < d; i++) {
                double c = x[o + i] - mean;
                sq += c * c;
            }
            float inv = (float) (1.0 / Math.sqrt(sq / d + eps));
            float m = (float) mean;
            for (int i = 0; i < d; i++) {
                out[o + i] = (x[o + i] - m) * inv * weight[i] + bias[i];
            }
        }
    }

    /** x[i] = max(x[i], 0) for i < n (OPT's ReLU MLP). */
    default void relu(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] = Math.max(x[i], 0f);
        }
    }

    /** Stops the pool's threads if the kernels own it. */
    @Override
    void close();
}
