package dev.sentemb.weights;

/**
 * The tensor element types of ggml, with the ids GGUF files store and the block geometry
 * ({@link #blockSize()} elements packed into {@link #typeSize()} bytes) that decides where each
 * row of a tensor lives. The table follows ggml's {@code type_traits}; ids that ggml retired
 * (4, 5, 31–33, 36–38) are absent, so {@link #fromId} rejects them.
 *
 * <p>{@link #decodable()} says whether {@link Dequant} can turn the type into floats.
 */
public enum GgmlType {
    F32(0, 1, 4, true),
    F16(1, 1, 2, true),
    Q4_0(2, 32, 18, true),
    Q4_1(3, 32, 20, true),
    Q5_0(6, 32, 22, true),
    Q5_1(7, 32, 24, true),
    Q8_0(8, 32, 34, true),
    /** Intermediate type of ggml's dot products (fp16 d and s, 32 int8); never decoded here. */
    Q8_1(9, 32, 36, false),
    Q2_K(10, 256, 84, true),
    Q3_K(11, 256, 110, true),
    Q4_K(12, 256, 144, true),
    Q5_K(13, 256, 176, true),
    Q6_K(14, 256, 210, true),
    Q8_K(15, 256, 292, true),
    IQ2_XXS(16, 256, 66, false),
    IQ2_XS(17, 256, 74, false),
    IQ3_XXS(18, 256, 98, false),
    IQ1_S(19, 256, 50, false),
    IQ4_NL(20, 32, 18, false),
    IQ3_S(21, 256, 110, false),
    IQ2_S(22, 256, 82, false),
    IQ4_XS(23, 256, 136, false),
    I8(24, 1, 1, false),
    I16(25, 1, 2, false),
    I32(26, 1, 4, false),
    I64(27, 1, 8, false),
    F64(28, 1, 8, false),
    IQ1_M(29, 256, 56, false),
    BF16(30, 1, 2, true),
    TQ1_0(34, 256, 54, false),
    TQ2_0(35, 256, 66, false),
    MXFP4(39, 32, 17, false),
    NVFP4(40, 64, 36, false),
    Q1_0(41, 128, 18, false);

    private static final GgmlType[] BY_ID;

    static {
        int max = 0;
        for (GgmlType t : values()) {
            max = Math.max(max, t.id);
        }
        BY_ID = new GgmlType[max + 1];
        for (GgmlType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int blockSize;
    private final int typeSize;
    private final boolean decodable;

    GgmlType(int id, int blockSize, int typeSize, boolean decodable) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
        this.decodable = decodable;
    }

    /** The id stored in GGUF tensor infos. */
    public int id() {
        return id;
    }

    /** Elements per block (1 for plain types such as F32). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int typeSize() {
        return typeSize;
    }

    /** Whether {@link Dequant} decodes this type to floats. */
    public boolean decodable() {
        return decodable;
    }

    /** Whether this is a block-quantized type (more than one element per block). */
    public boolean quantized() {
        return blockSize > 1;
    }

    /**
     * Bytes occupied by {@code elements} elements of this type.
     *
     * @throws IllegalArgumentException if the count is negative or not a multiple of the block size
     * @throws ArithmeticException if the byte count overflows a long
     */
    public long byteSize(long elements) {
        if (elements < 0 || elements % blockSize != 0) {
            throw new IllegalArgumentException(name() + ": element count " + elements
                    + " is not a non-negative multiple of the block size " + blockSize);
        }
        return Math.multiplyExact(elements / blockSize, (long) typeSize);
    }

    /** The type with this id, or null when ggml defines none (see {@link #fromId}). */
    static GgmlType byIdOrNull(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }

    /**
     * The type with this GGUF id.
     *
     * @throws IllegalArgumentException for an id that ggml does not define (or retired)
     */
    public static GgmlType fromId(int id) {
        GgmlType t = byIdOrNull(id);
        if (t == null) {
            throw new IllegalArgumentException("unknown ggml type id " + id);
        }
        return t;
    }
}
