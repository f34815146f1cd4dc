package dev.sentemb.weights;

/**
 * The value types of GGUF metadata, with the ids the format stores. Integer types keep their
 * signedness so that a reader can tell {@code uint32 4000000000} from {@code int32 -294967296}.
 */
public enum GgufValueType {
    UINT8(0, 1), INT8(1, 1), UINT16(2, 2), INT16(3, 2), UINT32(4, 4), INT32(5, 4),
    FLOAT32(6, 4), BOOL(7, 1), STRING(8, -1), ARRAY(9, -1), UINT64(10, 8), INT64(11, 8),
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int size;

    GgufValueType(int id, int size) {
        this.id = id;
        this.size = size;
    }

    /** The id stored in the file. */
    public int id() {
        return id;
    }

    /** Encoded size in bytes, or -1 for the variable-length STRING and ARRAY. */
    public int fixedSize() {
        return size;
    }

    /** Whether this is one of the eight integer types. */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** Whether this is FLOAT32 or FLOAT64. */
    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The type with this id, or null (ids are listed in declaration order from 0). */
    static GgufValueType byIdOrNull(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }

    /** Lower-case name as GGUF documentation spells it, for messages. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
