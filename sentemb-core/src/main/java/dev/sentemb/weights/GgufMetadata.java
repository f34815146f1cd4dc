package dev.sentemb.weights;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order. Model code reads hyper-parameters and the
 * vocabulary through the typed getters, which fail with a {@link GgufFormatException} naming the
 * file, the key and the type actually stored, instead of a {@code ClassCastException} far away.
 *
 * <p>Raw values ({@link #get}) are: integer scalars as {@link Long} (unsigned 64-bit values keep
 * their raw bits; use {@link #type} to tell), FLOAT32 as {@link Float}, FLOAT64 as {@link Double},
 * BOOL as {@link Boolean}, STRING as {@link String}, ARRAY as {@link GgufArray}. Strings are
 * decoded as UTF-8 with malformed bytes replaced by U+FFFD (GGUF strings are raw bytes and some
 * vocabularies carry partial sequences; refusing them would refuse usable models).
 *
 * <p>Array getters return fresh copies; instances are immutable and safe to share across threads.
 */
public final class GgufMetadata {
    /** One value with its type and the byte offset of its key in the file (for messages). */
    record Entry(GgufValueType type, Object value, long offset) {}

    private final Path path;
    private final LinkedHashMap<String, Entry> entries;

    GgufMetadata(Path path, LinkedHashMap<String, Entry> entries) {
        this.path = path;
        this.entries = entries;
    }

    /** Number of keys. */
    public int size() {
        return entries.size();
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** All keys in file order (read-only view). */
    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** The raw value (see the class comment for the Java types); fails if the key is missing. */
    public Object get(String key) {
        return entry(key).value;
    }

    /** The raw value, if present. */
    public Optional<Object> find(String key) {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.value);
    }

    /** The stored type of a key; fails if the key is missing. */
    public GgufValueType type(String key) {
        return entry(key).type;
    }

    // ---- strings ----

    public String getString(String key) {
        Entry e = entry(key);
        if (e.type != GgufValueType.STRING) {
            throw wrongType(key, e, "a string");
        }
        return (String) e.value;
    }

    public Optional<String> optString(String key) {
        return contains(key) ? Optional.of(getString(key)) : Optional.empty();
    }

    public String getString(String key, String defaultValue) {
        return contains(key) ? getString(key) : defaultValue;
    }

    // ---- integers ----

    /** An integer of any GGUF integer type whose value fits in an {@code int}. */
    public int getInt(String key) {
        Entry e = entry(key);
        long v = integerValue(key, e);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new GgufFormatException(path, e.offset,
                    "metadata key '" + key + "' is " + describe(e) + ", which does not fit in an int");
        }
        return (int) v;
    }

    public OptionalInt optInt(String key) {
        return contains(key) ? OptionalInt.of(getInt(key)) : OptionalInt.empty();
    }

    public int getInt(String key, int defaultValue) {
        return contains(key) ? getInt(key) : defaultValue;
    }

    /** An integer of any GGUF integer type whose value fits in a {@code long}. */
    public long getLong(String key) {
        return integerValue(key, entry(key));
    }

    public OptionalLong optLong(String key) {
        return contains(key) ? OptionalLong.of(getLong(key)) : OptionalLong.empty();
    }

    public long getLong(String key, long defaultValue) {
        return contains(key) ? getLong(key) : defaultValue;
    }

    private long integerValue(String key, Entry e) {
        if (!e.type.isInteger()) {
            throw wrongType(key, e, "an integer");
        }
        long v = (Long) e.value;
        if (e.type == GgufValueType.UINT64 && v < 0) {
            throw new GgufFormatException(path, e.offset,
                    "metadata key '" + key + "' is " + describe(e) + ", which does not fit in a long");
        }
        return v;
    }

    // ---- floats ----

    /** A FLOAT32, or a FLOAT64 rounded to float. */
    public float getFloat(String key) {
        return (float) getDouble(key);
    }

    public Optional<Float> optFloat(String key) {
        return contains(key) ? Optional.of(getFloat(key)) : Optional.empty();
    }

    public float getFloat(String key, float defaultValue) {
        return contains(key) ? getFloat(key) : defaultValue;
    }

    /** A FLOAT32 or FLOAT64. */
    public double getDouble(String key) {
        Entry e = entry(key);
        return switch (e.type) {
            case FLOAT32 -> (Float) e.value;
            case FLOAT64 -> (Double) e.value;
            default -> throw wrongType(key, e, "a float");
        };
    }

    // ---- booleans ----

    public boolean getBoolean(String key) {
        Entry e = entry(key);
        if (e.type != GgufValueType.BOOL) {
            throw wrongType(key, e, "a bool");
        }
        return (Boolean) e.value;
    }

    public Optional<Boolean> optBoolean(String key) {
        return contains(key) ? Optional.of(getBoolean(key)) : Optional.empty();
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return contains(key) ? getBoolean(key) : defaultValue;
    }

    // ---- arrays ----

    /** The array stored under a key (its values are shared: do not modify them). */
    public GgufArray getArray(String key) {
        Entry e = entry(key);
        if (e.type != GgufValueType.ARRAY) {
            throw wrongType(key, e, "an array");
        }
        return (GgufArray) e.value;
    }

    /** Number of elements of the array stored under a key. */
    public int arrayLength(String key) {
        return getArray(key).length();
    }

    public String[] getStringArray(String key) {
        GgufArray a = getArray(key);
        if (a.elementType() != GgufValueType.STRING) {
            throw wrongType(key, entry(key), "an array of strings");
        }
        return ((String[]) a.values()).clone();
    }

    public Optional<String[]> optStringArray(String key) {
        return contains(key) ? Optional.of(getStringArray(key)) : Optional.empty();
    }

    /** An array of any integer type whose every element fits in an {@code int}. */
    public int[] getIntArray(String key) {
        GgufArray a = getArray(key);
        Object v = a.values();
        switch (a.elementType()) {
            case INT8: {
                byte[] b = (byte[]) v;
                int[] out = new int[b.length];
                for (int i = 0; i < b.length; i++) {
                    out[i] = b[i];
                }
                return out;
            }
            case UINT8: {
                byte[] b = (byte[]) v;
                int[] out = new int[b.length];
                for (int i = 0; i < b.length; i++) {
                    out[i] = b[i] & 0xFF;
                }
                return out;
            }
            case INT16, UINT16: {
                short[] s = (short[]) v;
                boolean unsigned = a.elementType() == GgufValueType.UINT16;
                int[] out = new int[s.length];
                for (int i = 0; i < s.length; i++) {
                    out[i] = unsigned ? s[i] & 0xFFFF : s[i];
                }
                return out;
            }
            case INT32:
                return ((int[]) v).clone();
            case UINT32: {
                int[] s = (int[]) v;
                for (int i = 0; i < s.length; i++) {
                    if (s[i] < 0) {
                        throw elementTooLarge(key, i, Integer.toUnsignedString(s[i]), "an int");
                    }
                }
                return s.clone();
            }
            case INT64, UINT64: {
                long[] s = (long[]) v;
                boolean unsigned = a.elementType() == GgufValueType.UINT64;
                int[] out = new int[s.length];
                for (int i = 0; i < s.length; i++) {
                    if (s[i] != (int) s[i]) {
                        throw elementTooLarge(key, i, unsigned ? Long.toUnsignedString(s[i]) : Long.toString(s[i]), "an int");
                    }
                    out[i] = (int) s[i];
                }
                return out;
            }
            default:
                throw wrongType(key, entry(key), "an array of integers");
        }
    }

    public Optional<int[]> optIntArray(String key) {
        return contains(key) ? Optional.of(getIntArray(key)) : Optional.empty();
    }

    /** An array of any integer type (UINT64 elements must fit in a long). */
    public long[] getLongArray(String key) {
        GgufArray a = getArray(key);
        if (a.elementType() == GgufValueType.INT64 || a.elementType() == GgufValueType.UINT64) {
            long[] s = (long[]) a.values();
            if (a.elementType() == GgufValueType.UINT64) {
                for (int i = 0; i < s.length; i++) {
                    if (s[i] < 0) {
                        throw elementTooLarge(key, i, Long.toUnsignedString(s[i]), "a long");
                    }
                }
            }
            return s.clone();
        }
        if (a.elementType() == GgufValueType.UINT32) {
            int[] s = (int[]) a.values();
            long[] out = new long[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = Integer.toUnsignedLong(s[i]);
            }
            return out;
        }
        int[] ints = getIntArray(key);
        long[] out = new long[ints.length];
        for (int i = 0; i < ints.length; i++) {
            out[i] = ints[i];
        }
        return out;
    }

    /** An array of FLOAT32, or of FLOAT64 rounded to float. */
    public float[] getFloatArray(String key) {
        GgufArray a = getArray(key);
        if (a.elementType() == GgufValueType.FLOAT32) {
            return ((float[]) a.values()).clone();
        }
        if (a.elementType() == GgufValueType.FLOAT64) {
            double[] d = (double[]) a.values();
            float[] out = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
            return out;
        }
        throw wrongType(key, entry(key), "an array of floats");
    }

    public Optional<float[]> optFloatArray(String key) {
        return contains(key) ? Optional.of(getFloatArray(key)) : Optional.empty();
    }

    // ---- helpers ----

    private Entry entry(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            throw new GgufFormatException(path, -1, "metadata key '" + key + "' is missing");
        }
        return e;
    }

    private GgufFormatException wrongType(String key, Entry e, String expected) {
        return new GgufFormatException(path, e.offset,
                "metadata key '" + key + "' is " + describe(e) + ", expected " + expected);
    }

    private GgufFormatException elementTooLarge(String key, int index, String value, String target) {
        return new GgufFormatException(path, entry(key).offset, "metadata key '" + key + "' element " + index
                + " is " + value + ", which does not fit in " + target);
    }

    private static String describe(Entry e) {
        return switch (e.type) {
            case ARRAY -> e.value.toString();
            case STRING -> "a string";
            case UINT64 -> "uint64 " + Long.toUnsignedString((Long) e.value);
            default -> e.type.label() + " " + e.value;
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("GgufMetadata{");
        entries.forEach((k, e) -> sb.append(sb.length() > 12 ? ", " : "").append(k).append(": ").append(
                e.type == GgufValueType.STRING ? "string" : describe(e)));
        return sb.append('}').toString();
    }
}
