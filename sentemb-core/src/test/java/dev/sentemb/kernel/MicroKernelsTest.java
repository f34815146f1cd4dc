package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every register tile, whichever this JVM would choose, against a scalar chain of fused multiply-adds in k
 * order: bit for bit, so a model's vectors do not depend on the CPU's vector width or on a forced shape.
 */
class MicroKernelsTest {
    private static final int L = MicroKernels.L;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"4x2", "4x3", "6x2", "6x3", "8x2", "2x2", "1x2", "2x3", "1x3"})
    void everyShapeGivesTheScalarChainsBits(String shape) {
        int mr = shape.charAt(0) - '0', nv = shape.charAt(2) - '0', width = nv * L, k = 37; // the tail tiles too
        Random r = new Random(shape.hashCode());
        for (int rows : new int[] {1, Math.max(1, mr - 1), mr, mr + 3}) {
            float[] x = new float[rows * k];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            float[] w = new float[width * k]; // w[j][kk]
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment panel = arena.allocate((long) width * k * Float.BYTES, 64);
                for (int j = 0; j < width; j++) {
                    for (int kk = 0; kk < k; kk++) {
                        panel.setAtIndex(ValueLayout.JAVA_FLOAT, (long) kk * width + j, w[j * k + kk]);
                    }
                }
                float[] out = new float[rows * width];
                for (int t0 = 0; t0 < rows; t0 += mr) {
                    run(shape, x, k, panel, t0, rows, out, t0 * width, width);
                }
                float[] expected = new float[rows * width];
                for (int t = 0; t < rows; t++) {
                    for (int j = 0; j < width; j++) {
                        float acc = 0f;
                        for (int kk = 0; kk < k; kk++) acc = Math.fma(w[j * k + kk], x[t * k + kk], acc);
                        expected[t * width + j] = acc;
                    }
                }
                assertArrayEquals(expected, out, shape + " with " + rows + " rows");
            }
        }
    }

    private static void run(String shape, float[] x, int k, MemorySegment b, int t0, int rows, float[] dst, int off, int stride) {
        switch (shape) {
            case "4x2" -> MicroKernels.tile4x2(x, k, b, t0, rows, dst, off, stride);
            case "4x3" -> MicroKernels.tile4x3(x, k, b, t0, rows, dst, off, stride);
            case "6x2" -> MicroKernels.tile6x2(x, k, b, t0, rows, dst, off, stride);
            case "6x3" -> MicroKernels.tile6x3(x, k, b, t0, rows, dst, off, stride);
            case "8x2" -> MicroKernels.tile8x2(x, k, b, t0, rows, dst, off, stride);
            case "2x2" -> MicroKernels.tile2x2(x, k, b, t0, rows, dst, off, stride);
            case "1x2" -> MicroKernels.tile1x2(x, k, b, t0, rows, dst, off, stride);
            case "2x3" -> MicroKernels.tile2x3(x, k, b, t0, rows, dst, off, stride);
            case "1x3" -> MicroKernels.tile1x3(x, k, b, t0, rows, dst, off, stride);
            default -> throw new IllegalArgumentException(shape);
        }
    }

    @Test
    void shapeFollowsTheRegisterFileUnlessForced() {
        assertArrayEquals(new int[] {6, 2}, TileShape.choose(null, 8), "AVX2: 16 registers of 8 lanes");
        assertArrayEquals(new int[] {8, 2}, TileShape.choose(null, 16), "AVX-512");
        assertArrayEquals(new int[] {4, 3}, TileShape.choose(null, 4), "NEON");
        assertArrayEquals(new int[] {8, 2}, TileShape.choose("8x2", 8));
        assertArrayEquals(new int[] {4, 3}, TileShape.choose("4x3", 16));
        assertArrayEquals(new int[] {6, 2}, TileShape.choose("9x9", 8), "an unknown shape is ignored");
        assertNull(TileShape.parse("4x2x"));
        assertNull(TileShape.parse("x"));
        assertEquals(Matmul.NV * L, Matmul.NR);
    }

    @Test
    void aBatchIsCutIntoFullTilesThenATailOfFourTwoAndOneRows() {
        for (int rows = 1; rows <= 3 * Matmul.MR + 7; rows++) {
            int full = 0, covered = 0;
            StringBuilder tail = new StringBuilder();
            for (int left = rows; left > 0; ) {
                int m = Matmul.tileRows(left);
                if (m == Matmul.MR) {
                    full++;
                } else {
                    tail.append(m);
                }
                covered += m;
                left -= m;
            }
            assertEquals(rows, covered, "rows " + rows);
            assertEquals(rows / Matmul.MR, full, "full tiles of " + rows + " rows");
            assertTrue(tail.length() <= 3 && java.util.List.of("", "1", "2", "21", "4", "41", "42", "421").contains(tail.toString()),
                    rows + " rows leave the tail " + tail);
        }
    }
}
