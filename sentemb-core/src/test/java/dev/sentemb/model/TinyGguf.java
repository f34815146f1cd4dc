package dev.sentemb.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    Path write(Path path) {
        Out out = new Out();
        out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.u32(3);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, Object> kv : metadata.entrySet()) {
            out.string(kv.getKey());
            switch (kv.getValue()) {
                case Integer i -> { out.u32(4); out.u32(i); }       // UINT32
                case Float f -> { out.u32(6); out.f32(f); }         // FLOAT32
                case String s -> { out.u32(8); out.string(s); }     // STRING
                default -> throw new IllegalArgumentException(kv.toString());
            }
        }
        long offset = 0;
        for (Map.Entry<String, long[]> t : tensors.entrySet()) {
            out.string(t.getKey());
            out.u32(t.getValue().length);
            for (long d : t.getValue()) out.u64(d);
            out.u32(0); // F32
            out.u64(offset);
            offset += align(4 * elements(t.getValue()));
        }
        while (out.size() % 32 != 0) out.write(0);
        Random r = new Random(7);
        for (long[] dims : tensors.values()) {
            long n = elements(dims);
            for (long i = 0; i < n; i++) out.f32((float) (r.nextGaussian() * 0.3));
            for (long i = 4 * n; i < align(4 * n); i++) out.write(0);
        }
        try {
            return Files.write(path, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long elements(long[] dims) {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    private static long align(long n) {
        return (n + 31) / 32 * 32;
    }

    private static final class Out extends ByteArrayOutputStream {
        private final ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void bytes(byte[] x) {
            write(x, 0, x.length);
        }

        void u32(int v) {
            bytes(b.clear().putInt(v).array().clone(), 4);
        }

        void u64(long v) {
            bytes(b.clear().putLong(v).array().clone(), 8);
        }

        void f32(float v) {
            bytes(b.clear().putFloat(v).array().clone(), 4);
        }

        void string(String s) {
            byte[] x = s.getBytes(StandardCharsets.UTF_8);
            u64(x.length);
            bytes(x);
        }

        private void bytes(byte[] x, int n) {
            write(x, 0, n);
        }
    }
}
