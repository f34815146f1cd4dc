package dev.sentemb.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Damage that knows the container: a safetensors header and data, a PyTorch zip with its pickle and storages. */
final class FormatMutations {
    private FormatMutations() {}

    // ---- safetensors: u64 header length, JSON header {name: {dtype, shape, data_offsets}}, data

    static byte[] safetensors(byte[] file, Random rnd, StringBuilder how) {
        if (file.length < 8) {
            return Mutations.bytes(file, rnd, how);
        }
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        int headerEnd = (int) (8 + n);
        ObjectNode header;
        try {
            header = (ObjectNode) Mutations.JSON.readTree(Arrays.copyOfRange(file, 8, headerEnd));
        } catch (Exception e) {
            return Mutations.bytes(file, rnd, how);
        }
        byte[] data = Arrays.copyOfRange(file, headerEnd, file.length);
        List<String> names = new ArrayList<>();
        header.fieldNames().forEachRemaining(k -> {
            if (!k.equals("__metadata__")) {
                names.add(k);
            }
        });
        String name = names.isEmpty() ? null : names.get(rnd.nextInt(names.size()));
        ObjectNode t = name == null ? null : (ObjectNode) header.get(name);
        switch (name == null ? 0 : rnd.nextInt(10)) {
            case 0 -> Mutations.mutateTree(header, rnd, how.append(" header:"));
            case 1 -> {
                return Mutations.bytes(file, 0, Math.min(file.length, headerEnd), rnd, how.append(" header bytes:"));
            }
            case 2 -> {
                return Mutations.poisonF32(file, headerEnd, file.length, rnd, how.append(" data:"));
            }
            case 3 -> {
                String[] types = {"F16", "BF16", "F64", "I64", "I32", "U8", "BOOL", "F8_E4M3", "X", ""};
                String d = types[rnd.nextInt(types.length)];
                t.put("dtype", d);
                how.append(" ").append(name).append(" dtype=").append(d);
            }
            case 4 -> {
                ArrayNode shape = (ArrayNode) t.get("shape");
                long[] bad = {0, -1, 2, 1L << 31, 1L << 40, 3};
                if (shape.isEmpty() || rnd.nextInt(3) == 0) {
                    shape.add(1);
                    how.append(" ").append(name).append(" shape+[1]");
                } else if (rnd.nextBoolean()) {
                    int i = rnd.nextInt(shape.size());
                    long v = rnd.nextBoolean() ? shape.get(i).asLong() * 2 : bad[rnd.nextInt(bad.length)];
                    shape.set(i, v);
                    how.append(" ").append(name).append(" shape[").append(i).append("]=").append(v);
                } else {
                    shape.remove(shape.size() - 1);
                    how.append(" ").append(name).append(" shape dropped a dim");
                }
            }
            case 5 -> {
                ArrayNode off = (ArrayNode) t.get("data_offsets");
                String other = names.get(rnd.nextInt(names.size()));
                long b = off.get(0).asLong(), e = off.get(1).asLong();
                switch (rnd.nextInt(4)) {
                    case 0 -> {
                        off.set(0, header.get(other).get("data_offsets").get(0).asLong());
                        off.set(1, header.get(other).get("data_offsets").get(0).asLong() + (e - b));
                        how.append(" ").append(name).append(" overlaps ").append(other);
                    }
                    case 1 -> {
                        off.set(0, e);
                        off.set(1, b);
                        how.append(" ").append(name).append(" offsets reversed");
                    }
                    case 2 -> {
                        off.set(1, data.length + 4096L);
                        how.append(" ").append(name).append(" end past the file");
                    }
                    default -> {
                        off.set(0, b + 1);
                        how.append(" ").append(name).append(" begin+1");
                    }
                }
            }
            case 6 -> {
                String[] to = {name + ".x", name.replace("model.", ""), "a\u0000b", "n".repeat(300), names.get(rnd.nextInt(names.size())),
                        name.replace("weight", "bias"), name.replace(".0.", ".7.")};
                String nn = to[rnd.nextInt(to.length)];
                JsonNode v = header.remove(name);
                header.set(nn, v);
                how.append(" rename ").append(name).append(" -> ").append(nn.length() > 40 ? nn.length() + " chars" : nn);
            }
            case 7 -> {
                header.remove(name);
                how.append(" drop ").append(name);
            }
            case 8 -> {
                return Mutations.cut(file, headerEnd + rnd.nextInt(Math.max(1, data.length)), how);
            }
            default -> {
                return Mutations.bytes(file, rnd, how);
            }
        }
        return assembleSafetensors(header, data);
    }

    static byte[] assembleSafetensors(JsonNode header, byte[] data) {
        try {
            byte[] h = Mutations.JSON.writeValueAsBytes(header);
            ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(h.length).put(h).put(data);
            return out.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- PyTorch zip: NAME/data.pkl (pickle protocol 2), NAME/data/N storages, small marker entries

    static byte[] torchZip(byte[] file, Random rnd, StringBuilder how) {
        Map<String, byte[]> entries = unzip(file);
        if (entries == null || entries.isEmpty()) {
            return Mutations.bytes(file, rnd, how);
        }
        String pkl = entries.keySet().stream().filter(k -> k.endsWith("data.pkl")).findFirst().orElse(null);
        List<String> storages = entries.keySet().stream().filter(k -> k.contains("/data/")).toList();
        boolean deflate = false;
        switch (rnd.nextInt(9)) {
            case 0 -> {
                return Mutations.bytes(file, rnd, how.append(" zip:"));
            }
            case 1 -> {
                // the central directory and end record sit in the last few hundred bytes
                int from = Math.max(0, file.length - 600);
                return Mutations.bytes(file, from, file.length, rnd, how.append(" zip tail:"));
            }
            case 2, 3 -> {
                if (pkl == null) {
                    return Mutations.bytes(file, rnd, how);
                }
                entries.put(pkl, Mutations.bytes(entries.get(pkl), rnd, how.append(" pickle:")));
            }
            case 4 -> {
                if (pkl == null) {
                    return Mutations.bytes(file, rnd, how);
                }
                entries.put(pkl, nest(entries.get(pkl), rnd, how));
            }
            case 5 -> {
                if (pkl == null) {
                    return Mutations.bytes(file, rnd, how);
                }
                entries.put(pkl, memo(entries.get(pkl), rnd, how));
            }
            case 6 -> {
                if (storages.isEmpty()) {
                    return Mutations.bytes(file, rnd, how);
                }
                String s = storages.get(rnd.nextInt(storages.size()));
                byte[] b = entries.get(s);
                switch (rnd.nextInt(4)) {
                    case 0 -> entries.put(s, Arrays.copyOf(b, b.length / 2));
                    case 1 -> entries.put(s, new byte[0]);
                    case 2 -> entries.put(s, Arrays.copyOf(b, b.length + 64));
                    default -> entries.remove(s);
                }
                how.append(" storage ").append(s).append(entries.containsKey(s) ? " resized to " + entries.get(s).length : " removed");
            }
            case 7 -> {
                if (storages.isEmpty()) {
                    return Mutations.bytes(file, rnd, how);
                }
                String s = storages.get(rnd.nextInt(storages.size()));
                entries.put(s, Mutations.poisonF32(entries.get(s), 0, entries.get(s).length, rnd, how.append(" ").append(s)));
            }
            default -> {
                deflate = true;
                how.append(" deflated");
                if (pkl != null && rnd.nextBoolean()) {
                    entries.put(pkl, Mutations.bytes(entries.get(pkl), rnd, how.append(" pickle:")));
                }
            }
        }
        return zip(entries, deflate);
    }

    /** Deeply nested lists ({@code ]} then {@code a}), or a long run of marks, just after the protocol header. */
    private static byte[] nest(byte[] pkl, Random rnd, StringBuilder how) {
        int[] depths = {1_000, 100_000, 1_000_000};
        int depth = depths[rnd.nextInt(depths.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int start = pkl.length >= 2 && (pkl[0] & 0xFF) == 0x80 ? 2 : 0;
        out.write(pkl, 0, start);
        if (rnd.nextBoolean()) {
            for (int i = 0; i < depth; i++) {
                out.write(']');
            }
            for (int i = 1; i < depth; i++) {
                out.write('a');
            }
            out.write('0');
            how.append(" pickle nested lists depth ").append(depth);
        } else {
            for (int i = 0; i < depth; i++) {
                out.write('(');
            }
            how.append(" pickle ").append(depth).append(" marks");
        }
        out.write(pkl, start, pkl.length - start);
        return out.toByteArray();
    }

    /** Memo abuse: a put at a huge index, a get of an index never put, many puts. */
    private static byte[] memo(byte[] pkl, Random rnd, StringBuilder how) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int start = pkl.length >= 2 && (pkl[0] & 0xFF) == 0x80 ? 2 : 0;
        out.write(pkl, 0, start);
        switch (rnd.nextInt(3)) {
            case 0 -> {
                out.write(']');
                out.write('r');
                writeU32(out, 0x7FFF_FFFF);
                out.write('0');
                how.append(" pickle memo put at 2^31-1");
            }
            case 1 -> {
                out.write('j');
                writeU32(out, 0x7FFF_FFF0);
                out.write('0');
                how.append(" pickle memo get of a missing index");
            }
            default -> {
                out.write(']');
                for (int i = 0; i < 200_000; i++) {
                    out.write('r');
                    writeU32(out, i);
                }
                out.write('0');
                how.append(" pickle 200000 memo puts");
            }
        }
        out.write(pkl, start, pkl.length - start);
        return out.toByteArray();
    }

    private static void writeU32(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    private static Map<String, byte[]> unzip(byte[] file) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(file))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                m.put(e.getName(), z.readAllBytes());
            }
            return m;
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] zip(Map<String, byte[]> entries, boolean deflate) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey());
                if (!deflate) {
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(e.getValue().length);
                    ze.setCompressedSize(e.getValue().length);
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    ze.setCrc(crc.getValue());
                }
                z.putNextEntry(ze);
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
