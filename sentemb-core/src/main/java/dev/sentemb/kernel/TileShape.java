package dev.sentemb.kernel;

/**
 * The matmul's register tile, rows (tokens) × vectors (of weight columns), chosen once per JVM from the
 * preferred species: a tile must keep MR·NV accumulators, NV panel vectors and a broadcast in registers.
 * <ul>
 *   <li>8 lanes (256-bit: AVX2's 16 registers): 6×2, 12 accumulators + 2 + 1 = 15 live; the 4×3 that
 *       suits 32 registers spills there.</li>
 *   <li>16 lanes (AVX-512's 32 × 512-bit): 8×2, 16 + 2 + 1 = 19 live; 3–10% faster than 4×3 on real
 *       tensors, and 8×3 (28 live) compiled to boxed vectors, 10× slower.</li>
 *   <li>otherwise (NEON/SVE's 32 × 128-bit): 4×3; on x86 with -XX:MaxVectorSize=16 (4 lanes, 32 registers, no ARM
 *       core) no tile spills and 4×3, 6×2, 6×3 run within noise of each other, 4×2 a quarter slower.</li>
 * </ul>
 * The system property {@code sentemb.kernel.tile} (e.g. {@code 6x2}) forces one of {@link #SHAPES} for
 * measurement; any other value is ignored and {@link #describe()} says so (a class initialiser that threw
 * would leave the kernels unusable, not explain anything). Every shape gives the same bits.
 */
final class TileShape {
    /** The shapes {@link MicroKernels} has. */
    static final String SHAPES = "4x2, 4x3, 6x2, 6x3, 8x2";
    private static final String FORCED = System.getProperty("sentemb.kernel.tile");
    private static final int[] CHOSEN = choose(FORCED, MicroKernels.L);
    /** Tokens per tile. */
    static final int MR = CHOSEN[0];
    /** Vectors per tile row. */
    static final int NV = CHOSEN[1];

    private TileShape() {}

    /** {rows, vectors} for a forced value, or the default for {@code lanes}. */
    static int[] choose(String forced, int lanes) {
        int[] f = parse(forced);
        if (f != null) {
            return f;
        }
        return switch (lanes) {
            case 8 -> new int[] {6, 2};
            case 16 -> new int[] {8, 2};
            default -> new int[] {4, 3};
        };
    }

    /** "6x2" → {6, 2} when it is one of {@link #SHAPES}, else null. */
    static int[] parse(String s) {
        if (s == null || !java.util.List.of(SHAPES.split(", ")).contains(s)) {
            return null;
        }
        return new int[] {s.charAt(0) - '0', s.charAt(2) - '0'};
    }

    /** E.g. "6x2 of 8-lane vectors (16-column panels)", plus a note when a forced value was ignored. */
    static String describe() {
        String ignored = FORCED == null || parse(FORCED) != null ? ""
                : "; sentemb.kernel.tile=" + dev.sentemb.SentembException.capped(FORCED) + " ignored, expected one of " + SHAPES;
        return MR + "x" + NV + " of " + MicroKernels.L + "-lane vectors (" + NV * MicroKernels.L + "-column panels)" + ignored;
    }
}
