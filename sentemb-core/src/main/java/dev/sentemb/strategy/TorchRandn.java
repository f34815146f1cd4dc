package dev.sentemb.strategy;

/**
 * {@code torch.randn(n)} of a float tensor on the CPU right after {@code torch.manual_seed(seed)}: MT19937 seeded
 * with the seed, n uniforms of 24 bits each, then Box–Muller over blocks of 16 (the first eight values paired with
 * the next eight; when n is not a multiple of 16 the last 16 are drawn again), computed in float as torch's scalar
 * path does. torch's AVX2 path forms the angle and evaluates log, sin and cos with float polynomials of its own, so
 * values differ in their last bits (up to ~1e-6 here). Token Prepending's placeholder is such a vector.
 */
final class TorchRandn {
    private final int[] mt = new int[624];
    private int next = 624;

    private TorchRandn(long seed) {
        mt[0] = (int) seed;
        for (int i = 1; i < 624; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
    }

    /** The n values (n ≥ 16: torch draws shorter tensors another way). */
    static float[] randn(long seed, int n) {
        if (n < 16) {
            throw new IllegalArgumentException("torch draws a normal vector of " + n + " < 16 values another way");
        }
        TorchRandn g = new TorchRandn(seed);
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = g.uniform();
        }
        for (int i = 0; i + 16 <= n; i += 16) {
            boxMuller16(data, i);
        }
        if (n % 16 != 0) {
            int from = n - 16;
            for (int i = 0; i < 16; i++) {
                data[from + i] = g.uniform();
            }
            boxMuller16(data, from);
        }
        return data;
    }

    private static void boxMuller16(float[] d, int at) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1 - d[at + j]; // [0, 1) to (0, 1] for the log
            float u2 = d[at + j + 8];
            float radius = (float) Math.sqrt(-2 * (float) Math.log(u1));
            float theta = (float) (2.0f * Math.PI * u2);
            d[at + j] = radius * (float) Math.cos(theta);
            d[at + j + 8] = radius * (float) Math.sin(theta);
        }
    }

    /** torch's uniform(0, 1) for float: the low 24 bits of one 32-bit draw times 2^-24. */
    private float uniform() {
        return (float) ((nextInt() & 0xFFFFFF) * 0x1.0p-24);
    }

    private int nextInt() {
        if (next >= 624) {
            for (int i = 0; i < 624; i++) {
                int y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
                mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            next = 0;
        }
        int y = mt[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }
}
