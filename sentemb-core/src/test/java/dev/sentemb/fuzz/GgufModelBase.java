package dev.sentemb.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentemb.testing.TestGgufWriter;
import dev.sentemb.weights.GgmlType;
import dev.sentemb.weights.GgufArray;
import dev.sentemb.weights.GgufValueType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A complete tiny llama GGUF (the tokenizer of the tests' tiny HF llama, 2 layers of width 64, seeded F32
 * weights) kept as its metadata and tensor lists, so a mutation can change one value, type, tensor shape or
 * data word and write the file again; structural damage aims at the writer's recorded count and length fields.
 */
final class GgufModelBase {
    record Kv(String key, GgufValueType type, Object value) {}

    record Tensor(String name, GgmlType type, long[] dims, byte[] data) {}

    private final List<Kv> kvs;
    private final List<Tensor> tensors;

    private GgufModelBase(List<Kv> kvs, List<Tensor> tensors) {
        this.kvs = kvs;
        this.tensors = tensors;
    }

    /** From the tiny HF llama fixture's tokenizer.json: same vocabulary, merges and special ids. */
    static GgufModelBase fromHfFixture(Path llamaDir) throws IOException {
        JsonNode tok = Mutations.JSON.readTree(llamaDir.resolve("tokenizer.json").toFile());
        JsonNode vocab = tok.get("model").get("vocab");
        String[] tokens = new String[vocab.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tokens[e.getValue().asInt()] = e.getKey();
        }
        int[] types = new int[tokens.length];
        java.util.Arrays.fill(types, 1);
        for (JsonNode a : tok.get("added_tokens")) {
            types[a.get("id").asInt()] = 3;
        }
        List<String> merges = new ArrayList<>();
        for (JsonNode m : tok.get("model").get("merges")) {
            merges.add(m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText());
        }
        int d = 64, heads = 4, kv = 2, hd = 16, ffn = 128, layers = 2, vocabSize = tokens.length;
        List<Kv> k = new ArrayList<>();
        k.add(new Kv("general.architecture", GgufValueType.STRING, "llama"));
        k.add(new Kv("general.name", GgufValueType.STRING, "fuzz tiny llama"));
        k.add(new Kv("llama.context_length", GgufValueType.UINT32, 256));
        k.add(new Kv("llama.embedding_length", GgufValueType.UINT32, d));
        k.add(new Kv("llama.block_count", GgufValueType.UINT32, layers));
        k.add(new Kv("llama.feed_forward_length", GgufValueType.UINT32, ffn));
        k.add(new Kv("llama.attention.head_count", GgufValueType.UINT32, heads));
        k.add(new Kv("llama.attention.head_count_kv", GgufValueType.UINT32, kv));
        k.add(new Kv("llama.attention.key_length", GgufValueType.UINT32, hd));
        k.add(new Kv("llama.rope.dimension_count", GgufValueType.UINT32, hd));
        k.add(new Kv("llama.rope.freq_base", GgufValueType.FLOAT32, 10000f));
        k.add(new Kv("llama.attention.layer_norm_rms_epsilon", GgufValueType.FLOAT32, 1e-6f));
        k.add(new Kv("llama.vocab_size", GgufValueType.UINT32, vocabSize));
        k.add(new Kv("tokenizer.ggml.model", GgufValueType.STRING, "gpt2"));
        k.add(new Kv("tokenizer.ggml.pre", GgufValueType.STRING, "default"));
        k.add(new Kv("tokenizer.ggml.tokens", GgufValueType.ARRAY, new GgufArray(GgufValueType.STRING, tokens)));
        k.add(new Kv("tokenizer.ggml.token_type", GgufValueType.ARRAY, new GgufArray(GgufValueType.INT32, types)));
        k.add(new Kv("tokenizer.ggml.merges", GgufValueType.ARRAY, new GgufArray(GgufValueType.STRING, merges.toArray(String[]::new))));
        k.add(new Kv("tokenizer.ggml.bos_token_id", GgufValueType.UINT32, 0));
        k.add(new Kv("tokenizer.ggml.eos_token_id", GgufValueType.UINT32, 2));
        k.add(new Kv("tokenizer.ggml.add_bos_token", GgufValueType.BOOL, true));
        Random rnd = new Random(7);
        List<Tensor> t = new ArrayList<>();
        t.add(f32("token_embd.weight", rnd, d, vocabSize));
        t.add(ones("output_norm.weight", d));
        for (int i = 0; i < layers; i++) {
            String p = "blk." + i + ".";
            t.add(ones(p + "attn_norm.weight", d));
            t.add(ones(p + "ffn_norm.weight", d));
            t.add(f32(p + "attn_q.weight", rnd, d, heads * hd));
            t.add(f32(p + "attn_k.weight", rnd, d, kv * hd));
            t.add(f32(p + "attn_v.weight", rnd, d, kv * hd));
            t.add(f32(p + "attn_output.weight", rnd, heads * hd, d));
            t.add(f32(p + "ffn_gate.weight", rnd, d, ffn));
            t.add(f32(p + "ffn_up.weight", rnd, d, ffn));
            t.add(f32(p + "ffn_down.weight", rnd, ffn, d));
        }
        return new GgufModelBase(k, t);
    }

    private static Tensor f32(String name, Random rnd, long cols, long rows) {
        ByteBuffer b = ByteBuffer.allocate((int) (4 * cols * rows)).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < cols * rows; i++) {
            b.putFloat((float) (rnd.nextGaussian() * 0.08));
        }
        return new Tensor(name, GgmlType.F32, new long[] {cols, rows}, b.array());
    }

    private static Tensor ones(String name, long n) {
        ByteBuffer b = ByteBuffer.allocate((int) (4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            b.putFloat(1f);
        }
        return new Tensor(name, GgmlType.F32, new long[] {n}, b.array());
    }

    private static TestGgufWriter writer(List<Kv> kvs, List<Tensor> tensors) {
        TestGgufWriter w = new TestGgufWriter();
        for (Kv kv : kvs) {
            w.kv(kv.key, kv.type, kv.value);
        }
        for (Tensor t : tensors) {
            w.tensor(t.name, t.type, t.dims, t.data);
        }
        return w;
    }

    byte[] pristine() {
        return writer(kvs, tensors).build();
    }

    /** The file with one metadata value replaced (type kept) and/or one tensor's dims changed; nulls change nothing. */
    byte[] edited(String key, Object value, String tensor, long[] dims) {
        List<Kv> k = new ArrayList<>(kvs);
        k.replaceAll(kv -> kv.key.equals(key) ? new Kv(kv.key, kv.type, value) : kv);
        List<Tensor> t = new ArrayList<>(tensors);
        t.replaceAll(x -> x.name.equals(tensor) ? new Tensor(x.name, x.type, dims, x.data) : x);
        return writer(k, t).build();
    }

    /** The writer of the pristine file, for its recorded field offsets. */
    TestGgufWriter writer() {
        return writer(kvs, tensors);
    }

    /** One damage: a value, a type, a key, a tensor, a data word, or the file's structure. */
    byte[] mutate(Random rnd, StringBuilder how) {
        List<Kv> k = new ArrayList<>(kvs);
        List<Tensor> t = new ArrayList<>(tensors);
        switch (rnd.nextInt(10)) {
            case 0, 1 -> {
                TestGgufWriter w = writer(k, t);
                byte[] b = w.build();
                List<TestGgufWriter.Field> fields = w.fields();
                TestGgufWriter.Field f = fields.get(rnd.nextInt(fields.size()));
                Mutations.setField(b, f, rnd.nextInt(4) == 0 ? rnd.nextLong() : Mutations.NASTY[rnd.nextInt(Mutations.NASTY.length)], how);
                return b;
            }
            case 2 -> {
                TestGgufWriter w = writer(k, t);
                byte[] b = w.build();
                List<Long> bounds = w.boundaries();
                long at = bounds.get(rnd.nextInt(bounds.size())) + rnd.nextInt(17) - 8;
                return Mutations.cut(b, (int) Math.max(0, Math.min(b.length, at)), how);
            }
            case 3 -> {
                TestGgufWriter w = writer(k, t);
                byte[] b = w.build();
                return Mutations.bytes(b, 0, (int) w.dataOffset(), rnd, how.append(" header:"));
            }
            case 4, 5 -> {
                int i = rnd.nextInt(k.size());
                Kv kv = k.get(i);
                Kv bad = hostile(kv, rnd);
                k.set(i, bad);
                how.append(" kv ").append(kv.key).append(": ").append(kv.type).append(" -> ").append(bad.type)
                        .append(' ').append(brief(bad.value));
            }
            case 6 -> {
                int i = rnd.nextInt(k.size());
                if (rnd.nextBoolean()) {
                    how.append(" kv drop ").append(k.remove(i).key);
                } else {
                    Kv dup = hostile(k.get(i), rnd);
                    k.add(dup);
                    how.append(" kv duplicate ").append(dup.key).append(' ').append(brief(dup.value));
                }
            }
            case 7 -> {
                int i = rnd.nextInt(t.size());
                Tensor x = t.get(i);
                switch (rnd.nextInt(5)) {
                    case 0 -> {
                        t.remove(i);
                        how.append(" tensor drop ").append(x.name);
                    }
                    case 1 -> {
                        long[] dims = x.dims.clone();
                        int j = rnd.nextInt(dims.length);
                        long[] vals = {0, 1, dims[j] * 2, dims[j] + 1, 1L << 40};
                        dims[j] = vals[rnd.nextInt(vals.length)];
                        t.set(i, new Tensor(x.name, x.type, dims, x.data));
                        how.append(" tensor ").append(x.name).append(" dims ").append(java.util.Arrays.toString(dims));
                    }
                    case 2 -> {
                        long[] dims = x.dims.length == 2 ? new long[] {x.dims[1], x.dims[0]} : new long[] {x.dims[0], 1, 1};
                        t.set(i, new Tensor(x.name, x.type, dims, x.data));
                        how.append(" tensor ").append(x.name).append(" dims ").append(java.util.Arrays.toString(dims));
                    }
                    case 3 -> {
                        GgmlType[] types = {GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.BF16, GgmlType.Q6_K};
                        GgmlType ty = types[rnd.nextInt(types.length)];
                        t.set(i, new Tensor(x.name, ty, x.dims, x.data));
                        how.append(" tensor ").append(x.name).append(" type ").append(ty);
                    }
                    default -> {
                        String[] names = {x.name + "x", x.name.replace("blk.0", "blk.9"), "", "t\u0000", t.get(rnd.nextInt(t.size())).name};
                        String n = names[rnd.nextInt(names.length)];
                        t.set(i, new Tensor(n, x.type, x.dims, x.data));
                        how.append(" tensor rename ").append(x.name).append(" -> ").append(n);
                    }
                }
            }
            case 8 -> {
                TestGgufWriter w = writer(k, t);
                byte[] b = w.build();
                return Mutations.poisonF32(b, (int) w.dataOffset(), b.length, rnd, how.append(" data:"));
            }
            default -> {
                return Mutations.bytes(writer(k, t).build(), rnd, how);
            }
        }
        return writer(k, t).build();
    }

    /** The same key with a value that is wrong in range, in type, or in length. */
    private static Kv hostile(Kv kv, Random rnd) {
        if (rnd.nextInt(4) == 0) { // wrong type
            return switch (rnd.nextInt(5)) {
                case 0 -> new Kv(kv.key, GgufValueType.STRING, "64");
                case 1 -> new Kv(kv.key, GgufValueType.FLOAT32, 64.5f);
                case 2 -> new Kv(kv.key, GgufValueType.BOOL, true);
                case 3 -> new Kv(kv.key, GgufValueType.INT64, -1L);
                default -> new Kv(kv.key, GgufValueType.ARRAY, new GgufArray(GgufValueType.INT32, new int[] {1, 2}));
            };
        }
        return switch (kv.type) {
            case STRING -> {
                String[] vals = {"", "qwen9", "x".repeat(100_000), "a\u0000b", "llama", "gpt2", "gemma3", "opt", "qwen2", "bert"};
                yield new Kv(kv.key, kv.type, vals[rnd.nextInt(vals.length)]);
            }
            case FLOAT32, FLOAT64 -> {
                float[] vals = {Float.NaN, -1f, 0f, Float.POSITIVE_INFINITY, 3e38f, 1e-45f};
                yield new Kv(kv.key, kv.type, vals[rnd.nextInt(vals.length)]);
            }
            case BOOL -> new Kv(kv.key, GgufValueType.UINT8, 7);
            case ARRAY -> {
                GgufArray a = (GgufArray) kv.value;
                int n = a.length();
                Object vals = a.values();
                int keep = switch (rnd.nextInt(3)) {
                    case 0 -> 0;
                    case 1 -> n / 2;
                    default -> Math.max(0, n - 1);
                };
                Object cut = java.lang.reflect.Array.newInstance(vals.getClass().getComponentType(), keep);
                System.arraycopy(vals, 0, cut, 0, keep);
                if (keep > 0 && rnd.nextBoolean()) {
                    int j = rnd.nextInt(keep);
                    Object bad = cut instanceof String[] ? (rnd.nextBoolean() ? "" : "no_space_here") : (Object) (rnd.nextBoolean() ? -5 : 1 << 30);
                    java.lang.reflect.Array.set(cut, j, bad);
                }
                yield new Kv(kv.key, kv.type, new GgufArray(a.elementType(), cut));
            }
            default -> {
                long[] vals = {0, 1, 3, 5, -1, 0x7FFF_FFFFL, 401, 100_000};
                yield new Kv(kv.key, kv.type, vals[rnd.nextInt(vals.length)]);
            }
        };
    }

    private static String brief(Object v) {
        String s = v instanceof GgufArray a ? "array of " + a.length() : String.valueOf(v);
        return s.length() > 40 ? s.substring(0, 40) + "…(" + s.length() + ")" : s;
    }
}
