package dev.sentemb.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Format-blind damage: bytes (flips, nasty integers, cuts, inserts), JSON trees (any node at any depth
 * replaced, deleted, duplicated, retyped) and text lines. Each mutation appends what it did to {@code how}
 * so a failing case can be read without re-running it.
 */
public final class Mutations {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    public static final long[] NASTY = {0, 1, 2, 3, 4, 7, 8, 31, 255, 256, 65535, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL,
            1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE, -1, -2, Long.MIN_VALUE};

    private Mutations() {}

    /** One of several byte-level damages anywhere in {@code b}. */
    static byte[] bytes(byte[] b, Random rnd, StringBuilder how) {
        return bytes(b, 0, b.length, rnd, how);
    }

    /** Byte-level damage aimed at {@code [from, to)} (a header, a table), the rest of the file kept. */
    static byte[] bytes(byte[] b, int from, int to, Random rnd, StringBuilder how) {
        if (b.length == 0 || to <= from) {
            how.append(" (empty: appended junk)");
            return new byte[] {(byte) rnd.nextInt(256)};
        }
        byte[] m = b.clone();
        switch (rnd.nextInt(6)) {
            case 0 -> {
                int n = 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    int at = from + rnd.nextInt(to - from);
                    m[at] ^= (byte) (1 << rnd.nextInt(8));
                    how.append(" flip@").append(at);
                }
            }
            case 1 -> {
                int at = from + rnd.nextInt(to - from);
                m[at] = (byte) rnd.nextInt(256);
                how.append(" byte@").append(at).append('=').append(m[at] & 0xFF);
            }
            case 2 -> {
                int width = rnd.nextBoolean() ? 4 : 8;
                int at = from + rnd.nextInt(Math.max(1, to - from - width));
                if (at + width > m.length) {
                    return cut(b, from + rnd.nextInt(to - from), how);
                }
                long v = NASTY[rnd.nextInt(NASTY.length)];
                ByteBuffer bb = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
                if (width == 4) {
                    bb.putInt(at, (int) v);
                } else {
                    bb.putLong(at, v);
                }
                how.append(" u").append(width * 8).append('@').append(at).append('=').append(v);
            }
            case 3 -> {
                return cut(b, from + rnd.nextInt(to - from), how);
            }
            case 4 -> {
                return insert(m, from + rnd.nextInt(to - from), 1 + rnd.nextInt(16), rnd, how);
            }
            default -> {
                return delete(m, from + rnd.nextInt(to - from), 1 + rnd.nextInt(16), how);
            }
        }
        return m;
    }

    /** {@code n} random bytes inserted at {@code at} (everything after shifts). */
    public static byte[] insert(byte[] m, int at, int n, Random rnd, StringBuilder how) {
        byte[] out = new byte[m.length + n];
        System.arraycopy(m, 0, out, 0, at);
        for (int i = 0; i < n; i++) {
            out[at + i] = (byte) rnd.nextInt(256);
        }
        System.arraycopy(m, at, out, at + n, m.length - at);
        how.append(" insert ").append(n).append('@').append(at);
        return out;
    }

    /** Up to {@code n} bytes deleted at {@code at}. */
    public static byte[] delete(byte[] m, int at, int n, StringBuilder how) {
        n = Math.min(n, m.length - at);
        byte[] out = new byte[m.length - n];
        System.arraycopy(m, 0, out, 0, at);
        System.arraycopy(m, at + n, out, at, m.length - at - n);
        how.append(" delete ").append(n).append('@').append(at);
        return out;
    }

    /** A GGUF count, length, type or offset field (as the test writer recorded it) set to {@code v} in place. */
    public static void setField(byte[] b, dev.sentemb.testing.TestGgufWriter.Field f, long v, StringBuilder how) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (f.width() == 4) {
            bb.putInt((int) f.offset(), (int) v);
        } else {
            bb.putLong((int) f.offset(), v);
        }
        how.append(' ').append(f.what()).append('@').append(f.offset()).append('=').append(Long.toUnsignedString(v));
    }

    static byte[] cut(byte[] b, int len, StringBuilder how) {
        how.append(" truncate@").append(len);
        return Arrays.copyOf(b, len);
    }

    /** A float in a little-endian f32 region set to NaN, an infinity or a huge finite value. */
    static byte[] poisonF32(byte[] b, int from, int to, Random rnd, StringBuilder how) {
        byte[] m = b.clone();
        int count = (to - from) / 4;
        if (count <= 0) {
            return bytes(b, rnd, how);
        }
        int at = from + 4 * rnd.nextInt(count);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3e38f, -3e38f, 1e30f};
        float v = bad[rnd.nextInt(bad.length)];
        ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putFloat(at, v);
        how.append(" f32@").append(at).append('=').append(v);
        return m;
    }

    /** Hostile JSON values: zero, negative, huge, fractional, non-finite as text, wrong types, long text, deep nesting. */
    static JsonNode hostileValue(Random rnd) {
        return switch (rnd.nextInt(20)) {
            case 0 -> F.numberNode(0);
            case 1 -> F.numberNode(-1);
            case 2 -> F.numberNode(Integer.MAX_VALUE);
            case 3 -> F.numberNode(1L << 40);
            case 4 -> F.numberNode(1e30);
            case 5 -> F.numberNode(-1e30);
            case 6 -> F.numberNode(0.5);
            case 7 -> F.textNode("NaN");
            case 8 -> F.textNode("abc");
            case 9 -> F.textNode("");
            case 10 -> F.textNode("x".repeat(100_000));
            case 11 -> F.textNode("a\u0000b");
            case 12 -> F.booleanNode(rnd.nextBoolean());
            case 13 -> F.nullNode();
            case 14 -> F.arrayNode();
            case 15 -> F.objectNode();
            case 16 -> F.textNode("64");
            case 17 -> F.numberNode(-0.0);
            case 18 -> {
                ArrayNode deep = F.arrayNode();
                ArrayNode at = deep;
                for (int i = 0; i < 900; i++) {
                    at = at.addArray();
                }
                yield deep;
            }
            default -> F.textNode("\uD800");
        };
    }

    /** Every container and value node of {@code root} with its parent, depth first (the root has none). */
    private record Site(JsonNode parent, String field, int index, JsonNode node) {}

    private static void sites(JsonNode parent, String field, int index, JsonNode node, List<Site> out) {
        out.add(new Site(parent, field, index, node));
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                sites(node, n, -1, node.get(n), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                sites(node, null, i, node.get(i), out);
            }
        }
    }

    /** One structural change to a JSON document (or, one time in eight, to its text), returned as bytes. */
    static byte[] json(byte[] doc, Random rnd, StringBuilder how) {
        JsonNode root;
        try {
            root = JSON.readTree(doc);
        } catch (Exception e) {
            return bytes(doc, rnd, how);
        }
        if (rnd.nextInt(8) == 0 || root == null || !root.isContainerNode()) {
            return bytes(doc, rnd, how);
        }
        mutateTree(root, rnd, how);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes {@code root} in place. */
    static void mutateTree(JsonNode root, Random rnd, StringBuilder how) {
        List<Site> all = new ArrayList<>();
        sites(null, null, -1, root, all);
        // Prefer shallow nodes half the time: the keys a loader reads first are near the root.
        Site s = all.get(rnd.nextBoolean() ? rnd.nextInt(all.size()) : rnd.nextInt(Math.min(all.size(), 40)));
        String path = s.field != null ? s.field : s.index >= 0 ? "[" + s.index + "]" : "<root>";
        int op = rnd.nextInt(7);
        if (s.parent == null) {
            op = 4;
        }
        switch (op) {
            case 0, 1, 2 -> {
                JsonNode v = hostileValue(rnd);
                set(s, v);
                how.append(" json ").append(path).append('=').append(brief(v));
            }
            case 3 -> {
                if (s.parent instanceof ObjectNode o) {
                    o.remove(s.field);
                } else {
                    ((ArrayNode) s.parent).remove(s.index);
                }
                how.append(" json delete ").append(path);
            }
            case 4 -> {
                if (s.node instanceof ArrayNode a && !a.isEmpty()) {
                    int keep = rnd.nextBoolean() ? 0 : rnd.nextInt(a.size());
                    while (a.size() > keep) {
                        a.remove(a.size() - 1);
                    }
                    how.append(" json cut ").append(path).append(" to ").append(keep);
                } else if (s.node instanceof ObjectNode o) {
                    o.set("unexpected_" + rnd.nextInt(100), hostileValue(rnd));
                    how.append(" json add key in ").append(path);
                } else if (s.parent != null) {
                    set(s, F.textNode(s.node.asText() + "\u00ff\u0000"));
                    how.append(" json garble ").append(path);
                }
            }
            case 5 -> {
                if (s.parent instanceof ArrayNode a) {
                    a.insert(s.index, s.node.deepCopy());
                    how.append(" json duplicate ").append(path);
                } else {
                    set(s, retype(s.node));
                    how.append(" json retype ").append(path);
                }
            }
            default -> {
                set(s, retype(s.node));
                how.append(" json retype ").append(path);
            }
        }
    }

    /** The same value in another JSON type: a number as text, text as a number, a scalar wrapped in an array. */
    private static JsonNode retype(JsonNode n) {
        if (n.isNumber()) {
            return F.textNode(n.asText());
        }
        if (n.isTextual()) {
            return F.numberNode(n.asText().length());
        }
        if (n.isBoolean()) {
            return F.numberNode(n.asBoolean() ? 1 : 0);
        }
        if (n.isArray()) {
            return n.isEmpty() ? F.objectNode() : n.get(0);
        }
        return F.arrayNode().add(n);
    }

    private static void set(Site s, JsonNode v) {
        if (s.parent instanceof ObjectNode o) {
            o.set(s.field, v);
        } else {
            ((ArrayNode) s.parent).set(s.index, v);
        }
    }

    private static String brief(JsonNode v) {
        String t = v.toString();
        return t.length() > 40 ? t.substring(0, 40) + "…(" + t.length() + ")" : t;
    }

    /** One change to a text file's lines (merges.txt): drop, duplicate, garble, swap, a huge line, a header. */
    static byte[] lines(byte[] doc, Random rnd, StringBuilder how) {
        List<String> ls = new ArrayList<>(Arrays.asList(new String(doc, StandardCharsets.UTF_8).split("\n", -1)));
        if (ls.isEmpty() || rnd.nextInt(6) == 0) {
            return bytes(doc, rnd, how);
        }
        int at = rnd.nextInt(ls.size());
        switch (rnd.nextInt(7)) {
            case 0 -> {
                ls.remove(at);
                how.append(" line delete ").append(at);
            }
            case 1 -> {
                ls.add(at, ls.get(at));
                how.append(" line duplicate ").append(at);
            }
            case 2 -> {
                ls.set(at, ls.get(at).replace(' ', '\t'));
                how.append(" line tabs ").append(at);
            }
            case 3 -> {
                ls.set(at, "x".repeat(200_000) + " y");
                how.append(" line huge ").append(at);
            }
            case 4 -> {
                ls.set(at, ls.get(at) + " extra");
                how.append(" line three parts ").append(at);
            }
            case 5 -> {
                ls.set(at, "");
                how.append(" line empty ").append(at);
            }
            default -> {
                int other = rnd.nextInt(ls.size());
                String t = ls.get(at);
                ls.set(at, ls.get(other));
                ls.set(other, t);
                how.append(" line swap ").append(at).append(',').append(other);
            }
        }
        return String.join("\n", ls).getBytes(StandardCharsets.UTF_8);
    }
}
