package dev.sentemb.cli;

import dev.sentemb.weights.GgmlType;
import dev.sentemb.weights.GgufFile;
import dev.sentemb.weights.GgufMetadata;
import dev.sentemb.weights.GgufTensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print a model's architecture, sizes, quantization and tokenizer facts, or with --system what this CPU and JVM give the kernels.")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--system", description = "Describe the machine instead of a model: CPU, vector instruction sets, the JVM's vector width, the matmul tile, threads.")
    boolean system;

    @Override
    public Integer call() {
        if (system) {
            dev.sentemb.kernel.CpuInfo.describe().forEach((k, v) -> System.out.printf("%-13s %s%n", k, v));
            return ExitCodes.OK;
        }
        Path path = model.resolveModel();
        if (java.nio.file.Files.isDirectory(path)) {
            try (dev.sentemb.weights.HfCheckpoint c = dev.sentemb.weights.HfCheckpoint.open(path)) {
                printHf(c, System.out);
            }
            return ExitCodes.OK;
        }
        try (GgufFile f = GgufFile.open(path)) {
            print(f, System.out);
        }
        return ExitCodes.OK;
    }

    /** A Hugging Face directory: where, which format, and the config's shape fields. */
    static void printHf(dev.sentemb.weights.HfCheckpoint c, PrintStream out) {
        var cfg = c.config();
        out.printf("directory     %s (Hugging Face, %s, %d tensors)%n", c.directory(), c.format(), c.tensors().size());
        out.printf("architecture  %s%n", cfg.path("model_type").asText("?"));
        String[][] keys = {{"layers", "num_hidden_layers"}, {"hidden size", "hidden_size"}, {"ffn size", "intermediate_size"},
            {"ffn size", "ffn_dim"}, {"heads", "num_attention_heads"}, {"kv heads", "num_key_value_heads"},
            {"context", "max_position_embeddings"}, {"vocab", "vocab_size"}, {"output dim", "word_embed_proj_dim"}};
        for (String[] k : keys) {
            if (cfg.has(k[1])) {
                out.printf("%-13s %s%n", k[0], cfg.get(k[1]).asText());
            }
        }
        var dtypes = new java.util.TreeMap<String, Integer>();
        c.tensors().values().forEach(t -> dtypes.merge(t.dtype(), 1, Integer::sum));
        out.printf("dtypes        %s%n", dtypes);
    }

    static void print(GgufFile f, PrintStream out) {
        GgufMetadata md = f.metadata();
        String arch = md.getString("general.architecture");
        out.printf("file          %s (%.1f MB, GGUF v%d)%n", f.path(), f.fileSize() / 1e6, f.version());
        if (md.contains("general.name")) {
            out.printf("name          %s%n", md.getString("general.name"));
        }
        out.printf("architecture  %s%n", arch);
        String[][] keys = {
            {"layers", ".block_count"}, {"hidden size", ".embedding_length"}, {"ffn size", ".feed_forward_length"},
            {"heads", ".attention.head_count"}, {"kv heads", ".attention.head_count_kv"}, {"head dim", ".attention.key_length"},
            {"context", ".context_length"}, {"rope base", ".rope.freq_base"}, {"rms eps", ".attention.layer_norm_rms_epsilon"},
            {"sliding window", ".attention.sliding_window"},
        };
        for (String[] k : keys) {
            if (md.contains(arch + k[1])) {
                out.printf("%-13s %s%n", k[0], md.get(arch + k[1]));
            }
        }
        long params = 0;
        Map<GgmlType, long[]> byType = new TreeMap<>();
        for (GgufTensor t : f.tensors()) {
            params += t.elementCount();
            long[] acc = byType.computeIfAbsent(t.type(), x -> new long[2]);
            acc[0]++;
            acc[1] += t.elementCount();
        }
        out.printf("parameters    %,d in %d tensors%n", params, f.tensors().size());
        StringBuilder q = new StringBuilder();
        for (var e : byType.entrySet()) {
            q.append(q.isEmpty() ? "" : ", ").append(String.format("%s ×%d (%.1f%%)", e.getKey(), e.getValue()[0], 100.0 * e.getValue()[1] / params));
        }
        out.printf("quantization  %s%n", q);
        if (md.contains("general.file_type")) {
            out.printf("file type     %s%n", md.get("general.file_type"));
        }
        if (md.contains("tokenizer.ggml.model")) {
            out.printf("tokenizer     %s", md.getString("tokenizer.ggml.model"));
            if (md.contains("tokenizer.ggml.pre")) {
                out.printf(" (pre-tokenizer %s)", md.getString("tokenizer.ggml.pre"));
            }
            out.println();
            if (md.contains("tokenizer.ggml.tokens")) {
                out.printf("vocabulary    %,d tokens%n", md.getStringArray("tokenizer.ggml.tokens").length);
            }
            if (md.contains("tokenizer.ggml.merges")) {
                out.printf("merges        %,d%n", md.getStringArray("tokenizer.ggml.merges").length);
            }
            printSpecial(md, out, "bos", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.add_bos_token");
            printSpecial(md, out, "eos", "tokenizer.ggml.eos_token_id", "tokenizer.ggml.add_eos_token");
        }
    }

    private static void printSpecial(GgufMetadata md, PrintStream out, String what, String idKey, String addKey) {
        if (!md.contains(idKey)) {
            return;
        }
        int id = md.getInt(idKey);
        String[] tokens = md.getStringArray("tokenizer.ggml.tokens");
        String text = id >= 0 && id < tokens.length ? tokens[id] : "?";
        String added = md.contains(addKey) ? (md.getBoolean(addKey) ? "added" : "not added") : "not added (no " + addKey + ")";
        out.printf("%-13s %d %s, %s%n", what, id, text, added);
    }
}
