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
        VectorSupport.require();
        return new VectorKernels(new Parallel(threads), true);
    }

    /** The Vector API implementation on the application's pool, which it borrows: {@link #close} leaves it running. */
    static Kernels vector(Parallel pool) {
        VectorSupport.require();
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

    /** {@code outs[i]} = x · ws[i]ᵀ for weights of the same K, as {@link #matmul} gives each; may run them as one loop. */
    default void matmuls(float[] x, int rows, WeightMatrix[] ws, float[][] outs) {
        for (int i = 0; i < ws.length; i++) {
            matmul(x, rows, ws[i], outs[i]);
        }
    }

    /**
     * Backward of {@link #matmul} with respect to x: out[rows × K] = dy[rows × N] · W, W being [N × K] in
     * any encoding and frozen (never expanded to fp32 as a whole). out is overwritten.
     */
    void matmulTransposed(float[] dy, int rows, WeightMatrix w, float[] out);

    /**
     * The weight gradient of a matmul summed over tokens: g[N × K] += alpha · aᵀ · b for a [T × N] and
     * b [T × K] (for y = x·Wᵀ: dW = dyᵀ·x), without transposing either.
     */
    void accumulateAtB(float[] a, float[] b, int tokens, int n, int k, float alpha, float[] g);

    /** x[t][:] += bias for every row t; the width is bias.length. */
    void addBias(float[] x, int rows, float[] bias);

    /** out[t] = x[t] / sqrt(mean(x[t]²) + eps) · weight; the width is weight.length. out may be x. */
    void rmsNorm(float[] x, int rows, float[] weight, float eps, float[] out);

    /**
     * Backward of {@link #rmsNorm}: dx[t] = inv·(dy[t]∘w) − inv³/d · x[t] · Σ(dy[t]∘w∘x[t]), with
     * inv = 1/sqrt(mean(x[t]²) + eps); x is the norm's input [rows × d]. dx is overwritten; the gain
     * gets no gradient (it is frozen in LoRA training).
     */
    default void rmsNormBackward(float[] x, int rows, float[] weight, float eps, float[] dy, float[] dx) {
        int d = weight.length;
        pool().forEach(rows, t -> {
            int o = t * d;
            double sq = 0, dot = 0;
            for (int i = 0; i < d; i++) {
                sq += (double) x[o + i] * x[o + i];
                dot += (double) dy[o + i] * weight[i] * x[o + i];
            }
            double inv = 1.0 / Math.sqrt(sq / d + eps);
            double c = inv * inv * inv * dot / d;
            for (int i = 0; i < d; i++) {
                dx[o + i] = (float) (inv * dy[o + i] * weight[i] - c * x[o + i]);
            }
        });
    }

    /** Rotates each head of x[rows × heads·headDim] in place, row t being at position positions[t]. */
    void rope(float[] x, int rows, int heads, int headDim, int[] positions, Rope rope);

    /** Backward of {@link #rope}: rotates the gradient dx [rows × heads·headDim] back, in place. */
    default void ropeBackward(float[] dx, int rows, int heads, int headDim, int[] positions, Rope rope) {
        rope.applyTransposed(dx, 0, rows, heads, headDim, positions);
    }

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

    /**
     * Backward of {@link #attention} without a prefix: from dOut [T × heads·headDim] writes dq
     * [T × heads·headDim] and dk, dv [T × kvHeads·headDim]; q, k (rotated) and v are the forward's inputs.
     */
    void attentionBackward(float[] q, float[] k, float[] v, int[] offsets, AttentionShape shape,
            float[] dOut, float[] dq, float[] dk, float[] dv);

    /** gate[i] = silu(gate[i]) · up[i] for i < n (the SwiGLU activation). */
    void siluMul(float[] gate, float[] up, int n);

    /**
     * Backward of {@link #siluMul} from the forward's inputs g (gate) and u (up): dGate = dh·u·silu'(g),
     * dUp = dh·silu(g), with silu'(g) = σ(g)·(1 + g·(1 − σ(g))). Both outputs overwritten; they may be
     * g and u themselves.
     */
    default void siluMulBackward(float[] gate, float[] up, float[] dh, float[] dGate, float[] dUp, int n) {
        pool().forEach((n + 4095) / 4096, c -> {
            for (int i = c * 4096, end = Math.min(n, i + 4096); i < end; i++) {
                float g = gate[i], u = up[i];
                float sig = (float) (1.0 / (1.0 + Math.exp(-g)));
                float dhi = dh[i];
                dGate[i] = dhi * u * sig * (1f + g * (1f - sig));
                dUp[i] = dhi * g * sig;
            }
        });
    }

    /**
     * gate[i] = gelu(gate[i]) · up[i] for i < n (GeGLU, Gemma), with the tanh approximation
     * gelu(x) = x/2 · (1 + tanh(√(2/π) · (x + 0.044715·x³))).
     */
    void geluTanhMul(float[] gate, float[] up, int n);

    /**
     * Backward of {@link #geluTanhMul} from the forward's inputs g and u: dGate = dh·u·gelu'(g), dUp =
     * dh·gelu(g), with gelu'(x) = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(√(2/π)(x +
     * 0.044715x³)). Both outputs overwritten; they may be g and u themselves.
     */
    default void geluTanhMulBackward(float[] gate, float[] up, float[] dh, float[] dGate, float[] dUp, int n) {
        double c = Math.sqrt(2 / Math.PI);
        pool().forEach((n + 4095) / 4096, chunk -> {
            for (int i = chunk * 4096, end = Math.min(n, i + 4096); i < end; i++) {
                double x = gate[i], u = up[i], d = dh[i];
                double t = Math.tanh(c * (x + 0.044715 * x * x * x));
                double gelu = 0.5 * x * (1 + t);
                double slope = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x);
                dGate[i] = (float) (d * u * slope);
                dUp[i] = (float) (d * gelu);
            }
        });
    }

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

    /**
     * Backward of {@link #layerNorm} with respect to x (gain and bias are frozen): with x̂ the normalised
     * row and g = dy∘w, dx = inv·(g − mean(g) − x̂·mean(g∘x̂)). x is the norm's input [rows × d]; dx is
     * overwritten and may not be x.
     */
    default void layerNormBackward(float[] x, int rows, float[] weight, float eps, float[] dy, float[] dx) {
        int d = weight.length;
        pool().forEach(rows, t -> {
            int o = t * d;
            double sum = 0;
            for (int i = 0; i < d; i++) {
                sum += x[o + i];
            }
            double mean = sum / d, sq = 0;
            for (int i = 0; i < d; i++) {
                double c = x[o + i] - mean;
                sq += c * c;
            }
            double inv = 1.0 / Math.sqrt(sq / d + eps);
            double gSum = 0, gxSum = 0;
            for (int i = 0; i < d; i++) {
                double g = (double) dy[o + i] * weight[i];
                gSum += g;
                gxSum += g * (x[o + i] - mean) * inv;
            }
            double gMean = gSum / d, gxMean = gxSum / d;
            for (int i = 0; i < d; i++) {
                double g = (double) dy[o + i] * weight[i];
                dx[o + i] = (float) (inv * (g - gMean - (x[o + i] - mean) * inv * gxMean));
            }
        });
    }

    /**
     * Backward of {@link #relu} from its output y: dy[i] = 0 where y[i] ≤ 0 (the unit was off), in place.
     * Zero outputs pass no gradient, as PyTorch's relu does at 0.
     */
    default void reluBackward(float[] y, float[] dy, int n) {
        for (int i = 0; i < n; i++) {
            if (!(y[i] > 0f)) {
                dy[i] = 0f;
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
