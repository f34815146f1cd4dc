package dev.sentemb.model;

import dev.sentemb.testing.TestGgufWriter;
import dev.sentemb.weights.GgmlType;
import dev.sentemb.weights.GgufValueType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Writes a tiny GGUF v3 file of a llama-shaped model with random F32 weights, so loader errors
 * (unknown architecture, missing key, missing or misshapen tensor) can be provoked on purpose.
 */
final class TinyGguf {
    static final int D = 16, HEADS = 2, KV_HEADS = 1, HEAD_DIM = 8, FFN = 32, VOCAB = 20, LAYERS = 2;

    final Map<String, Object> metadata = new LinkedHashMap<>();
    final Map<String, long[]> tensors = new LinkedHashMap<>();

    /** A complete, loadable tiny model of architecture {@code arch}. */
    static TinyGguf llamaShaped(String arch) {
        TinyGguf g = new TinyGguf();
        g.metadata.put("general.architecture", arch);
        g.metadata.put(arch + ".embedding_length", D);
        g.metadata.put(arch + ".block_count", LAYERS);
        g.metadata.put(arch + ".attention.head_count", HEADS);
        g.metadata.put(arch + ".attention.head_count_kv", KV_HEADS);
        g.metadata.put(arch + ".feed_forward_length", FFN);
        g.metadata.put(arch + ".attention.layer_norm_rms_epsilon", 1e-5f);
        g.metadata.put(arch + ".rope.freq_base", 10000f);
        g.metadata.put(arch + ".context_length", 128);
        g.tensors.put("token_embd.weight", new long[] {D, VOCAB});
        g.tensors.put("output_norm.weight", new long[] {D});
        for (int i = 0; i < LAYERS; i++) {
            String p = "blk." + i + ".";
            g.tensors.put(p + "attn_norm.weight", new long[] {D});
            g.tensors.put(p + "ffn_norm.weight", new long[] {D});
            g.tensors.put(p + "attn_q.weight", new long[] {D, HEADS * HEAD_DIM});
            g.tensors.put(p + "attn_k.weight", new long[] {D, KV_HEADS * HEAD_DIM});
            g.tensors.put(p + "attn_v.weight", new long[] {D, KV_HEADS * HEAD_DIM});
            g.tensors.put(p + "attn_output.weight", new long[] {HEADS * HEAD_DIM, D});
            g.tensors.put(p + "ffn_gate.weight", new long[] {D, FFN});
            g.tensors.put(p + "ffn_up.weight", new long[] {D, FFN});
            g.tensors.put(p + "ffn_down.weight", new long[] {FFN, D});
        }
        return g;
    }

    /** Writes the model through the tests' one GGUF writer: integers as UINT32, F32 tensors of seeded Gaussian values. */
    Path write(Path path) {
        TestGgufWriter w = new TestGgufWriter();
        for (Map.Entry<String, Object> kv : metadata.entrySet()) {
            switch (kv.getValue()) {
                case Integer i -> w.kv(kv.getKey(), GgufValueType.UINT32, i);
                default -> w.put(kv.getKey(), kv.getValue());
            }
        }
        Random r = new Random(7);
        for (Map.Entry<String, long[]> t : tensors.entrySet()) {
            long n = 1;
            for (long d : t.getValue()) {
                n *= d;
            }
            ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(4 * n)).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < n; i++) {
                data.putFloat((float) (r.nextGaussian() * 0.3));
            }
            w.tensor(t.getKey(), GgmlType.F32, t.getValue(), data.array());
        }
        return w.write(path);
    }
}
