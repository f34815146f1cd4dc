package dev.sentemb.weights;

import dev.sentemb.SentembException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the GGUF header, metadata and tensor infos out of a mapped file. Every count and length is
 * checked against the bytes that remain before anything is allocated from it, so a corrupt or
 * hostile file ends in a {@link GgufFormatException} naming the offset, never in an
 * OutOfMemoryError or an index exception.
 */
final class GgufParser {
    static final int DEFAULT_ALIGNMENT = 32;
    static final int MAX_DIMS = 4;
    /** Nesting limit for arrays of arrays (keeps recursion shallow on hostile input). */
    static final int MAX_ARRAY_DEPTH = 16;
    /** Largest Java array we create. */
    private static final long MAX_JAVA_ARRAY = Integer.MAX_VALUE - 16;
    /** Smallest encoding of one key/value pair: empty key (8), type (4), one-byte value. */
    private static final long MIN_KV_BYTES = 8 + 4 + 1;
    /** Smallest encoding of one tensor info: empty name (8), n_dims (4), one dim (8), type (4), offset (8). */
    private static final long MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;

    static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble LE_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** What the header holds; tensors are ready to use once this exists. */
    record Parsed(int version, int alignment, long dataOffset, GgufMetadata metadata, List<GgufTensor> tensors) {}

    private final MemorySegment seg;
    private final Path path;
    private final long size;
    private long pos;
    private byte[] scratch = new byte[256];

    private GgufParser(MemorySegment seg, Path path) {
        this.seg = seg;
        this.path = path;
        this.size = seg.byteSize();
    }

    static Parsed parse(MemorySegment seg, Path path) {
        return new GgufParser(seg, path).parse();
    }

    private Parsed parse() {
        if (size < 4) {
            throw fail(0, "file is " + size + " bytes long, too short for the GGUF magic");
        }
        int magic = seg.get(LE_INT, 0);
        if (magic != 0x46554747) { // "GGUF" read little-endian
            throw fail(0, String.format("not a GGUF file: magic is %02x %02x %02x %02x, expected 47 47 55 46 (\"GGUF\")",
                    magic & 0xFF, (magic >>> 8) & 0xFF, (magic >>> 16) & 0xFF, magic >>> 24));
        }
        pos = 4;
        int version = u32("version");
        if (version == 1) {
            throw fail(4, "GGUF version 1 is not supported (only 2 and 3); re-convert the model with a current llama.cpp");
        }
        if (version != 2 && version != 3) {
            int swapped = Integer.reverseBytes(version);
            if (swapped >= 1 && swapped <= 3) {
                throw fail(4, "big-endian GGUF (version " + swapped + ") is not supported; use a little-endian file");
            }
            throw fail(4, "unsupported GGUF version " + Integer.toUnsignedString(version) + " (supported: 2, 3)");
        }
        long tensorCountAt = pos;
        long tensorCount = u64("tensor count");
        long kvCountAt = pos;
        long kvCount = u64("metadata key/value count");
        checkCount(kvCountAt, kvCount, MIN_KV_BYTES, "metadata key/value count");
        checkCount(tensorCountAt, tensorCount, MIN_TENSOR_INFO_BYTES, "tensor count");

        LinkedHashMap<String, GgufMetadata.Entry> entries = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long at = pos;
            String key = string("metadata key");
            long typeAt = pos;
            int typeId = u32("metadata value type");
            GgufValueType type = GgufValueType.byIdOrNull(Integer.toUnsignedLong(typeId));
            if (type == null) {
                throw fail(typeAt, "metadata key '" + SentembException.capped(key) + "' has unknown value type " + Integer.toUnsignedString(typeId));
            }
            Object value = type == GgufValueType.ARRAY ? array(key, 1) : scalar(type, key);
            if (entries.putIfAbsent(key, new GgufMetadata.Entry(type, value, at)) != null) {
                throw fail(at, "duplicate metadata key '" + key + "'");
            }
        }
        GgufMetadata metadata = new GgufMetadata(path, entries);
        int alignment = alignment(entries);

        List<TensorInfo> infos = new ArrayList<>((int) Math.min(tensorCount, 1 << 16));
        Map<String, Long> names = new HashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            TensorInfo ti = tensorInfo(alignment);
            Long prev = names.putIfAbsent(ti.name, ti.at);
            if (prev != null) {
                throw fail(ti.at, "duplicate tensor name '" + ti.name + "' (first defined at byte " + prev + ")");
            }
            infos.add(ti);
        }
        long dataOffset = alignUp(pos, alignment);
        List<GgufTensor> tensors = new ArrayList<>(infos.size());
        for (TensorInfo ti : infos) {
            long avail = size - dataOffset;
            if (dataOffset > size || ti.relOffset > avail || ti.bytes > avail - ti.relOffset) {
                long start = dataOffset + ti.relOffset;
                throw fail(ti.at, "tensor '" + SentembException.capped(ti.name) + "' data [" + Long.toUnsignedString(start) + ", "
                        + Long.toUnsignedString(start + ti.bytes) + ") runs past the end of the file (size " + size + ")");
            }
            long abs = dataOffset + ti.relOffset;
            tensors.add(new GgufTensor(ti.name, ti.type, ti.dims, seg.asSlice(abs, ti.bytes), abs));
        }
        return new Parsed(version, alignment, dataOffset, metadata, List.copyOf(tensors));
    }

    private record TensorInfo(long at, String name, GgmlType type, long[] dims, long relOffset, long bytes) {}

    private TensorInfo tensorInfo(int alignment) {
        long at = pos;
        String name = string("tensor name");
        long ndAt = pos;
        int nDims = u32("tensor '" + SentembException.capped(name) + "' n_dims");
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw fail(ndAt, "tensor '" + SentembException.capped(name) + "' has n_dims " + Integer.toUnsignedString(nDims) + ", expected 1 to " + MAX_DIMS);
        }
        long[] dims = new long[nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            long dAt = pos;
            long n = u64("tensor '" + SentembException.capped(name) + "' dimension " + d);
            if (n < 1) {
                throw fail(dAt, "tensor '" + SentembException.capped(name) + "' dimension " + d + " is " + Long.toUnsignedString(n) + ", expected at least 1");
            }
            long product = elements * n;
            if (Math.multiplyHigh(elements, n) != 0 || product < 0) {
                throw fail(dAt, "tensor '" + SentembException.capped(name) + "' has more elements than fit in a long");
            }
            elements = product;
            dims[d] = n;
        }
        long typeAt = pos;
        int typeId = u32("tensor '" + SentembException.capped(name) + "' type");
        GgmlType type = GgmlType.byIdOrNull(Integer.toUnsignedLong(typeId));
        if (type == null) {
            throw fail(typeAt, "tensor '" + SentembException.capped(name) + "' has unknown ggml type id " + Integer.toUnsignedString(typeId));
        }
        if (dims[0] % type.blockSize() != 0) {
            throw fail(ndAt, "tensor '" + SentembException.capped(name) + "' row length " + dims[0] + " is not a multiple of " + type
                    + "'s block size " + type.blockSize());
        }
        long blocks = elements / type.blockSize();
        if (Math.multiplyHigh(blocks, type.typeSize()) != 0 || blocks * type.typeSize() < 0) {
            throw fail(ndAt, "tensor '" + SentembException.capped(name) + "' byte size overflows a long");
        }
        long offAt = pos;
        long rel = u64("tensor '" + SentembException.capped(name) + "' data offset");
        if (rel < 0) {
            throw fail(offAt, "tensor '" + SentembException.capped(name) + "' data offset " + Long.toUnsignedString(rel) + " is beyond any file");
        }
        if (rel % alignment != 0) {
            throw fail(offAt, "tensor '" + SentembException.capped(name) + "' data offset " + rel + " is not a multiple of the alignment " + alignment);
        }
        return new TensorInfo(at, name, type, dims, rel, blocks * type.typeSize());
    }

    private int alignment(Map<String, GgufMetadata.Entry> entries) {
        GgufMetadata.Entry e = entries.get("general.alignment");
        if (e == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (e.type() != GgufValueType.UINT32) {
            throw fail(e.offset(), "general.alignment is " + e.type().label() + ", expected uint32");
        }
        long a = (Long) e.value();
        if (a == 0 || Long.bitCount(a) != 1 || a > (1 << 30)) {
            throw fail(e.offset(), "general.alignment " + a + " is not a power of two (up to 2^30)");
        }
        return (int) a;
    }

    // ---- values ----

    private Object scalar(GgufValueType type, String key) {
        String what = "value of '" + key + "'";
        return switch (type) {
            case UINT8 -> (long) (u8(what) & 0xFF);
            case INT8 -> (long) u8(what);
            case UINT16 -> (long) (u16(what) & 0xFFFF);
            case INT16 -> (long) u16(what);
            case UINT32 -> Integer.toUnsignedLong(u32(what));
            case INT32 -> (long) u32(what);
            case UINT64, INT64 -> u64(what);
            case FLOAT32 -> Float.intBitsToFloat(u32(what));
            case FLOAT64 -> Double.longBitsToDouble(u64(what));
            case BOOL -> u8(what) != 0;
            case STRING -> string(what);
            case ARRAY -> throw new IllegalStateException("arrays are read by array()");
        };
    }

    private GgufArray array(String key, int depth) {
        long typeAt = pos;
        if (depth > MAX_ARRAY_DEPTH) {
            throw fail(typeAt, "metadata key '" + SentembException.capped(key) + "' nests arrays deeper than " + MAX_ARRAY_DEPTH);
        }
        int typeId = u32("array element type of '" + key + "'");
        GgufValueType et = GgufValueType.byIdOrNull(Integer.toUnsignedLong(typeId));
        if (et == null) {
            throw fail(typeAt, "metadata key '" + SentembException.capped(key) + "' is an array of unknown value type " + Integer.toUnsignedString(typeId));
        }
        long lenAt = pos;
        long n = u64("array length of '" + key + "'");
        long minElem = switch (et) {
            case STRING -> 8;
            case ARRAY -> 12;
            default -> et.fixedSize();
        };
        String what = "array length of '" + key + "'";
        checkCount(lenAt, n, minElem, what);
        if (n > MAX_JAVA_ARRAY) {
            throw fail(lenAt, what + " " + n + " exceeds the largest Java array");
        }
        int len = (int) n;
        long at = pos;
        Object values = switch (et) {
            case UINT8, INT8 -> {
                byte[] a = new byte[len];
                MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, at, a, 0, len);
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[len];
                for (int i = 0; i < len; i++) {
                    a[i] = seg.get(ValueLayout.JAVA_BYTE, at + i) != 0;
                }
                yield a;
            }
            case UINT16, INT16 -> {
                short[] a = new short[len];
                MemorySegment.copy(seg, LE_SHORT, at, a, 0, len);
                yield a;
            }
            case UINT32, INT32 -> {
                int[] a = new int[len];
                MemorySegment.copy(seg, LE_INT, at, a, 0, len);
                yield a;
            }
            case UINT64, INT64 -> {
                long[] a = new long[len];
                MemorySegment.copy(seg, LE_LONG, at, a, 0, len);
                yield a;
            }
            case FLOAT32 -> {
                float[] a = new float[len];
                MemorySegment.copy(seg, LE_FLOAT, at, a, 0, len);
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[len];
                MemorySegment.copy(seg, LE_DOUBLE, at, a, 0, len);
                yield a;
            }
            case STRING -> {
                String[] a = new String[len];
                for (int i = 0; i < len; i++) {
                    a[i] = string(null, key, i);
                }
                yield a;
            }
            case ARRAY -> {
                GgufArray[] a = new GgufArray[len];
                for (int i = 0; i < len; i++) {
                    a[i] = array(key, depth + 1);
                }
                yield a;
            }
        };
        if (et.fixedSize() > 0) {
            pos = at + n * et.fixedSize();
        }
        return new GgufArray(et, values);
    }

    /**
     * Strings decoded from the metadata, at most {@link #MAX_STRINGS}: each costs ~50 bytes of heap for as
     * little as 8 of file, so a file of millions of empty strings would otherwise exhaust the heap.
     */
    static final int MAX_STRINGS = 4_000_000;
    private int strings;

    /** Checks that {@code count} items of at least {@code minBytes} each fit in what remains. */
    private void checkCount(long at, long count, long minBytes, String what) {
        long remaining = size - pos;
        if (count < 0 || count > remaining / minBytes) {
            throw fail(at, what + " " + Long.toUnsignedString(count) + " (at least " + minBytes
                    + " bytes each) exceeds the " + remaining + " bytes that remain");
        }
    }

    // ---- primitives ----

    private void need(long n, String what) {
        if (n > size - pos) {
            throw fail(pos, "file ends while reading " + what + " (needs " + n + " bytes, " + (size - pos) + " left)");
        }
    }

    private byte u8(String what) {
        need(1, what);
        return seg.get(ValueLayout.JAVA_BYTE, pos++);
    }

    private short u16(String what) {
        need(2, what);
        short v = seg.get(LE_SHORT, pos);
        pos += 2;
        return v;
    }

    private int u32(String what) {
        need(4, what);
        int v = seg.get(LE_INT, pos);
        pos += 4;
        return v;
    }

    private long u64(String what) {
        need(8, what);
        long v = seg.get(LE_LONG, pos);
        pos += 8;
        return v;
    }

    private String string(String what) {
        return string(what, null, 0);
    }

    /**
     * Reads a string. Names it {@code what}, or when that is null string {@code index} of array
     * {@code key} (built only for a message, since vocabularies hold 150k strings).
     */
    private String string(String what, String key, int index) {
        long at = pos;
        if (++strings > MAX_STRINGS) {
            throw fail(at, "more than " + MAX_STRINGS + " strings in the metadata (the largest vocabulary and merges hold well under"
                    + " a million); refusing to decode them all");
        }
        if (8 > size - pos) {
            throw fail(pos, "file ends while reading the length of " + stringName(what, key, index));
        }
        long n = seg.get(LE_LONG, pos);
        pos += 8;
        if (n < 0 || n > size - pos) {
            throw fail(at, "length of " + stringName(what, key, index) + " is " + Long.toUnsignedString(n)
                    + " bytes, but only " + (size - pos) + " remain");
        }
        if (n > MAX_JAVA_ARRAY) {
            throw fail(at, "length of " + stringName(what, key, index) + " is " + n + " bytes, longer than a Java string can be");
        }
        int len = (int) n;
        if (len == 0) {
            return "";
        }
        if (len > scratch.length) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, scratch, 0, len);
        pos += len;
        return new String(scratch, 0, len, StandardCharsets.UTF_8);
    }

    private static String stringName(String what, String key, int index) {
        return what != null ? what : "string " + index + " of '" + key + "'";
    }

    private GgufFormatException fail(long at, String problem) {
        return new GgufFormatException(path, at, problem);
    }

    static long alignUp(long x, long alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }
}
