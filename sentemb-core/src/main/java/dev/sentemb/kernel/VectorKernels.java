package dev.sentemb.kernel;

/**
 * {@link Kernels} on the JDK Vector API ({@code FloatVector.SPECIES_PREFERRED}, fma) and a fixed
 * {@link Parallel} pool. Row-wise ops are split into row chunks big enough to pay for a hand-off.
 */
final class VectorKernels implements Kernels {
    /** Elements per parallel chunk of the element-wise ops. */
    private static final int CHUNK_ELEMENTS = 1 << 15;

    private final Parallel parallel;
    private final boolean ownsPool;

    VectorKernels(Parallel pool, boolean ownsPool) {
        this.parallel = pool;
        this.ownsPool = ownsPool;
    }

    @Override
    public String describe() {
        return "Vector API, " + Matmul.S.vectorBitSize() + "-bit preferred species, matmul tile " + Matmul.shape() + ", "
                + parallel.threads() + " threads";
    }

    @Override
    public Parallel pool() {
        return parallel;
    }

    @Override
    public int threads() {
        return parallel.threads();
    }

    @Override
    public void matmul(float[] x, int rows, WeightMatrix w, float[] out) {
        Matmul.matmul(parallel, x, rows, w, out);
    }

    @Override
    public void matmuls(float[] x, int rows, WeightMatrix[] ws, float[][] outs) {
        Matmul.matmuls(parallel, x, rows, ws, outs);
    }

    @Override
    public void matmulTransposed(float[] dy, int rows, WeightMatrix w, float[] out) {
        MatmulTransposed.multiply(parallel, dy, rows, w, out);
    }

    @Override
    public void accumulateAtB(float[] a, float[] b, int tokens, int n, int k, float alpha, float[] g) {
        MatmulTransposed.accumulateAtB(parallel, a, b, tokens, n, k, alpha, g);
    }

    @Override
    public void ropeBackward(float[] dx, int rows, int heads, int headDim, int[] positions, Rope rope) {
        forRows(rows, heads * headDim, (from, to) -> rope.applyTransposed(dx, from, to, heads, headDim, positions));
    }

    @Override
    public void attentionBackward(float[] q, float[] k, float[] v, int[] offsets, AttentionShape shape,
            float[] dOut, float[] dq, float[] dk, float[] dv) {
        CausalAttention.backward(parallel, q, k, v, offsets, shape, dOut, dq, dk, dv);
    }

    @Override
    public void addBias(float[] x, int rows, float[] bias) {
        int width = bias.length;
        forRows(rows, width, (from, to) -> {
            for (int t = from; t < to; t++) {
                VectorMath.addTo(x, t * width, bias, width);
            }
        });
    }

    @Override
    public void rmsNorm(float[] x, int rows, float[] weight, float eps, float[] out) {
        int width = weight.length;
        forRows(rows, width, (from, to) -> {
            for (int t = from; t < to; t++) {
                int o = t * width;
                float mean = VectorMath.dot(x, o, x, o, width) / width;
                float inv = (float) (1.0 / Math.sqrt(mean + eps));
                VectorMath.scaleByWeight(x, o, inv, weight, out, width);
            }
        });
    }

    @Override
    public void rope(float[] x, int rows, int heads, int headDim, int[] positions, Rope rope) {
        forRows(rows, heads * headDim, (from, to) -> rope.apply(x, from, to, heads, headDim, positions));
    }

    @Override
    public void attention(float[] q, float[] k, float[] v, int[] offsets, KvPrefix past, AttentionShape shape, float[] out) {
        CausalAttention.attend(parallel, q, k, v, offsets, past, shape, out);
    }

    @Override
    public void siluMul(float[] gate, float[] up, int n) {
        forRows(n, 1, (from, to) -> VectorMath.siluMul(gate, up, from, to - from));
    }

    @Override
    public void geluTanhMul(float[] gate, float[] up, int n) {
        forRows(n, 1, (from, to) -> VectorMath.geluTanhMul(gate, up, from, to - from));
    }

    @Override
    public void add(float[] dst, float[] src, int n) {
        forRows(n, 1, (from, to) -> VectorMath.add(dst, src, from, to - from));
    }

    @Override
    public void close() {
        if (ownsPool) {
            parallel.close();
        }
    }

    private interface RowRange {
        void run(int from, int to);
    }

    /**
     * Splits [0, rows) into chunks of about CHUNK_ELEMENTS elements and runs them in parallel; two chunks or
     * fewer run on the caller alone. A small pass (~100 rows: concurrent one-sentence callers) has norms, residual
     * adds and rotations of two chunks, ~10 µs of work, and the caller waited longer for the other thread's chunk
     * than the chunk took (JFR: ~40 µs a norm on average, the worker's core shared with other tenants).
     */
    private void forRows(int rows, int width, RowRange body) {
        int perChunk = Math.max(1, CHUNK_ELEMENTS / Math.max(1, width));
        int chunks = (rows + perChunk - 1) / perChunk;
        if (chunks <= 2) {
            body.run(0, rows);
            return;
        }
        parallel.forEach(chunks, c -> body.run(c * perChunk, Math.min(rows, (c + 1) * perChunk)));
    }
}
