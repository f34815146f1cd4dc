package dev.sentemb.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle interpreter that understands exactly what {@code torch.save(state_dict)} writes and
 * nothing more. It never calls Python code: the only callables it knows are an allow-list of
 * globals (an ordered dict, torch's tensor/parameter rebuild functions, storage types) whose effect
 * it reproduces as plain data. Any other global or opcode (for example {@code os.system},
 * {@code builtins.eval}, {@code INST}/{@code OBJ}/{@code NEWOBJ}) is refused with an
 * {@link UnsafePickleException} naming it, before anything else happens.
 */
final class TorchPickle {
    /** A tensor as the pickle describes it: a view of a storage. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** A storage the pickle refers to by persistent id: bytes held in the archive's {@code data/<key>}. */
    record StorageRef(String dtype, String key, long numel) {}

    private record Global(String module, String name) {
        String full() {
            return module + "." + name;
        }
    }

    private record Tuple(List<Object> items) {}

    private static final Object MARK = new Object();
    private static final Object NONE = new Object();

    private static final Map<String, String> STORAGES = Map.ofEntries(
            Map.entry("FloatStorage", "F32"), Map.entry("HalfStorage", "F16"), Map.entry("BFloat16Storage", "BF16"),
            Map.entry("DoubleStorage", "F64"), Map.entry("LongStorage", "I64"), Map.entry("IntStorage", "I32"),
            Map.entry("ShortStorage", "I16"), Map.entry("CharStorage", "I8"), Map.entry("ByteStorage", "U8"),
            Map.entry("BoolStorage", "BOOL"));
    private static final Set<String> CALLABLES = Set.of(
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter");

    private final Path file;
    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private TorchPickle(Path file, byte[] data) {
        this.file = file;
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Runs the pickle and returns its value: maps, lists, strings, longs, {@link TensorRef}s. */
    static Object load(Path file, byte[] data) {
        try {
            return new TorchPickle(file, data).run();
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            // truncated or inconsistent opcodes: underflow, wrong operand kinds, pops past a mark
            throw new CheckpointFormatException(file, -1, "malformed pickle in data.pkl: " + e.getClass().getSimpleName());
        } catch (StackOverflowError e) {
            throw new CheckpointFormatException(file, -1, "malformed pickle in data.pkl: structures nested too deeply");
        }
    }

    private Object run() {
        while (true) {
            int at = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> in.get(); // PROTO
                case 0x95 -> in.getLong(); // FRAME
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> marks.add(stack.size()); // MARK
                case 'N' -> push(NONE);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'K' -> push((long) (in.get() & 0xff)); // BININT1
                case 'M' -> push((long) (in.getShort() & 0xffff)); // BININT2
                case 'J' -> push((long) in.getInt()); // BININT
                case 0x8a -> push(long1(in.get() & 0xff)); // LONG1
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT, big-endian
                case 'X' -> push(string(in.getInt())); // BINUNICODE
                case 0x8c -> push(string(in.get() & 0xff)); // SHORT_BINUNICODE
                case 0x8d -> push(string(Math.toIntExact(in.getLong()))); // BINUNICODE8
                case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
                case 0x85 -> push(tuple(1));
                case 0x86 -> push(tuple(2));
                case 0x87 -> push(tuple(3));
                case 't' -> push(new Tuple(popToMark()));
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case 'a' -> list(peekBelow(1)).add(pop()); // APPEND
                case 'e' -> { // APPENDS
                    List<Object> items = popToMark();
                    list(peek()).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object v = pop();
                    Object k = key(pop(), at);
                    dict(peek()).put(k, v);
                }
                case 'u' -> { // SETITEMS
                    List<Object> kv = popToMark();
                    Map<Object, Object> d = dict(peek());
                    for (int i = 0; i + 1 < kv.size(); i += 2) {
                        d.put(key(kv.get(i), at), kv.get(i + 1));
                    }
                }
                case 'q' -> memo.put((long) (in.get() & 0xff), peek()); // BINPUT
                case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memoGet(in.get() & 0xff, at)); // BINGET
                case 'j' -> push(memoGet(in.getInt() & 0xffffffffL, at)); // LONG_BINGET
                case 'c' -> push(global(line(), line(), at)); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    String name = (String) pop();
                    String module = (String) pop();
                    push(global(module, name, at));
                }
                case 'Q' -> push(persistent(pop(), at)); // BINPERSID
                case 'R' -> { // REDUCE
                    Tuple args = (Tuple) pop();
                    push(reduce(pop(), args, at));
                }
                case 'b' -> { // BUILD: only the attribute state of a state dict (its _metadata), dropped
                    Object state = pop();
                    if (!(peek() instanceof Map) || !(state instanceof Map)) {
                        throw new UnsafePickleException(file, at, "BUILD", "BUILD on something other than a dict");
                    }
                }
                default -> throw new UnsafePickleException(file, at, opName(op), "pickle opcode " + opName(op)
                        + " is not used by a torch state dict");
            }
        }
    }

    /**
     * A dict key must be a scalar, as in any state dict: hashing a container could recurse without end (a
     * list that holds itself, built through the memo, is 9 bytes of pickle) and overflow the stack.
     */
    private Object key(Object k, int at) {
        if (k instanceof String || k instanceof Long || k instanceof Double || k instanceof Boolean) {
            return k;
        }
        throw new CheckpointFormatException(file, at, "a dict key is a " + (k == null ? "null" : k.getClass().getSimpleName())
                + "; a state dict's keys are strings or numbers");
    }

    private Global global(String module, String name, int at) {
        Global g = new Global(module, name);
        boolean storage = module.equals("torch") && STORAGES.containsKey(name);
        if (!storage && !CALLABLES.contains(g.full())) {
            throw new UnsafePickleException(file, at, g.full(), "pickle references the global " + g.full()
                    + ", which is not on the allow-list of a torch state dict");
        }
        return g;
    }

    private Object reduce(Object callable, Tuple args, int at) {
        if (!(callable instanceof Global g)) {
            throw new UnsafePickleException(file, at, "REDUCE", "REDUCE on a non-global callable");
        }
        List<Object> a = args.items();
        return switch (g.full()) {
            case "collections.OrderedDict" -> {
                if (!a.isEmpty()) {
                    throw new UnsafePickleException(file, at, g.full(), "OrderedDict called with arguments");
                }
                yield new LinkedHashMap<>();
            }
            case "torch._utils._rebuild_tensor_v2" -> new TensorRef((StorageRef) a.get(0), (Long) a.get(1),
                    longs((Tuple) a.get(2)), longs((Tuple) a.get(3)));
            case "torch._utils._rebuild_parameter" -> a.get(0);
            default -> throw new UnsafePickleException(file, at, g.full(), "pickle calls " + g.full() + ", which is not callable here");
        };
    }

    private StorageRef persistent(Object pid, int at) {
        List<Object> p = pid instanceof Tuple t ? t.items() : List.of();
        if (p.size() != 5 || !"storage".equals(p.get(0)) || !(p.get(1) instanceof Global g) || !g.module().equals("torch")
                || !STORAGES.containsKey(g.name())) {
            throw new UnsafePickleException(file, at, "BINPERSID", "persistent id is not a torch storage reference");
        }
        String key = (String) p.get(2);
        if (key.isEmpty() || key.contains("/") || key.contains("..")) {
            throw new CheckpointFormatException(file, at, "storage key '" + dev.sentemb.SentembException.capped(key) + "' is not a plain name");
        }
        return new StorageRef(STORAGES.get(g.name()), key, (Long) p.get(4));
    }

    private Object memoGet(long key, int at) {
        Object v = memo.get(key);
        if (v == null) {
            throw new CheckpointFormatException(file, at, "pickle reads memo entry " + key + " before writing it");
        }
        return v;
    }

    private long long1(int n) {
        if (n > 8) {
            throw new CheckpointFormatException(file, in.position(), "integer of " + n + " bytes is too large");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (in.get() & 0xff) << (8 * i);
        }
        return n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0 ? v - (1L << (8 * n)) : v;
    }

    private String string(int n) {
        if (n < 0 || n > in.remaining()) { // checked before allocating: a hostile length must not exhaust memory
            throw new CheckpointFormatException(file, in.position(), "string of " + n + " bytes runs past the end of data.pkl");
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private String line() {
        StringBuilder sb = new StringBuilder();
        for (byte b; (b = in.get()) != '\n'; ) {
            sb.append((char) (b & 0xff));
        }
        return sb.toString();
    }

    private Tuple tuple(int n) {
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return new Tuple(items);
    }

    private List<Object> popToMark() {
        int m = marks.removeLast();
        List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private static long[] longs(Tuple t) {
        long[] r = new long[t.items().size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (Long) t.items().get(i);
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) {
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        return stack.removeLast();
    }

    private Object peek() {
        return stack.getLast();
    }

    private Object peekBelow(int n) {
        return stack.get(stack.size() - 1 - n);
    }

    private static String opName(int op) {
        return switch (op) {
            case 'i' -> "INST";
            case 'o' -> "OBJ";
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 'P' -> "PERSID";
            case 0x82, 0x83, 0x84 -> "EXT";
            default -> op >= 0x20 && op < 0x7f ? "'" + (char) op + "'" : String.format("0x%02x", op);
        };
    }
}
