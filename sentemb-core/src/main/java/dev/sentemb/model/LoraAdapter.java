package dev.sentemb.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentemb.kernel.DenseMatrix;
import dev.sentemb.weights.CheckpointTensor;
import dev.sentemb.weights.GgmlType;
import dev.sentemb.weights.Dequant;
import dev.sentemb.weights.HfCheckpoint;
import dev.sentemb.weights.SafetensorsFile;
import dev.sentemb.weights.TorchCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A PEFT LoRA adapter ({@code adapter_config.json} + {@code adapter_model.safetensors} or {@code .bin}):
 * per target module, A [r × in] and B [out × r] with scale lora_alpha / r (rsLoRA: / √r; per-module
 * {@code rank_pattern}/{@code alpha_pattern} honoured). Applied either merged into a dense copy of the
 * weight (fastest per token, costs an fp32 copy of each target) or on the fly as a {@link LowRank}.
 * Loading checks that every module the adapter carries found a layer to attach to.
 */
public final class LoraAdapter {
    private record Pair(float[] a, float[] b, int r, int in, int out, float scale) {}

    /**
     * A LoRA factor pair as the model runs it, for training: the live {@link LowRank} (its arrays are the
     * parameters), the module's transformers name, and the heads its B rows were permuted by (GGUF q/k).
     */
    public record Applied(String module, LowRank lora, int permutedHeads) {}

    private final Path dir;
    private final boolean merge;
    private final Map<String, Pair> modules = new HashMap<>();
    private final Set<String> used = new LinkedHashSet<>();
    private final java.util.List<Applied> applied = new java.util.ArrayList<>();
    /** For a fresh adapter: the module kinds to create (q_proj, ...), its rank, alpha and seed; else null. */
    private final Fresh fresh;

    private record Fresh(Set<String> targets, int r, double alpha, long seed) {}

    private LoraAdapter(Path dir, boolean merge) {
        this(dir, merge, null);
    }

    private LoraAdapter(Path dir, boolean merge, Fresh fresh) {
        this.dir = dir;
        this.merge = merge;
        this.fresh = fresh;
    }

    /**
     * A new adapter to train, as PEFT initialises one: on every projection whose module kind (the last
     * part of its name: q_proj, ..., down_proj) is in {@code targets}, A [r × in] Kaiming-uniform
     * (bound 1/√in, PEFT's a=√5) from a generator seeded by {@code seed} and the module's name, B zero;
     * scale alpha / r. Applied on the fly, never merged.
     */
    public static LoraAdapter fresh(Set<String> targets, int r, double alpha, long seed) {
        if (r <= 0) {
            throw new IllegalArgumentException("LoRA rank must be positive, got " + r);
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no LoRA target modules");
        }
        return new LoraAdapter(null, false, new Fresh(Set.copyOf(targets), r, alpha, seed));
    }

    /** The factor pairs applied so far (after the model is built: all of them), in model order. */
    public java.util.List<Applied> applied() {
        return java.util.List.copyOf(applied);
    }

    /** lora_alpha of a fresh adapter, or NaN for a loaded one (whose modules may each differ). */
    public double alpha() {
        return fresh == null ? Double.NaN : fresh.alpha;
    }

    /** The module kinds a fresh adapter targets (empty for a loaded one). */
    public Set<String> targets() {
        return fresh == null ? Set.of() : fresh.targets;
    }

    /** Reads the adapter in {@code dir}; {@code merge} picks merged (true) or on-the-fly (false) application. */
    public static LoraAdapter load(Path dir, boolean merge) {
        Path cfgFile = dir.resolve("adapter_config.json");
        if (!Files.isRegularFile(cfgFile)) {
            throw new ModelFormatException(dir + " is not a PEFT adapter directory (no adapter_config.json)");
        }
        JsonNode cfg = HfCheckpoint.readJson(cfgFile);
        String type = cfg.path("peft_type").asText("LORA");
        if (!type.equals("LORA")) {
            throw new ModelFormatException(cfgFile + ": peft_type " + dev.sentemb.SentembException.capped(type) + " is not supported; supported: LORA");
        }
        if (cfg.path("use_dora").asBoolean(false) || cfg.path("fan_in_fan_out").asBoolean(false)
                || !cfg.path("bias").asText("none").equals("none") || cfg.path("lora_bias").asBoolean(false)) {
            throw new ModelFormatException(cfgFile + ": DoRA, fan_in_fan_out and LoRA biases are not supported");
        }
        JsonNode saved = cfg.path("modules_to_save");
        if (saved.isArray() && !saved.isEmpty()) {
            throw new ModelFormatException(cfgFile + ": modules_to_save " + dev.sentemb.SentembException.capped(saved) + " is not supported (only LoRA deltas are)");
        }
        Map<String, CheckpointTensor> tensors;
        Path st = dir.resolve("adapter_model.safetensors");
        SafetensorsFile open = null;
        if (Files.isRegularFile(st)) {
            open = SafetensorsFile.open(st);
            tensors = open.tensors();
        } else if (Files.isRegularFile(dir.resolve("adapter_model.bin"))) {
            tensors = TorchCheckpoint.read(dir.resolve("adapter_model.bin"));
        } else {
            throw new ModelFormatException(dir + ": no adapter_model.safetensors or adapter_model.bin");
        }
        try {
            LoraAdapter ad = new LoraAdapter(dir, merge);
            int r = (int) configNumber(cfgFile, "r", cfg.path("r"), 8, true);
            double alpha = configNumber(cfgFile, "lora_alpha", cfg.path("lora_alpha"), 8, false);
            JsonNode rsNode = cfg.path("use_rslora");
            if (!rsNode.isMissingNode() && !rsNode.isNull() && !rsNode.isBoolean()) {
                throw new ModelFormatException(cfgFile + ": 'use_rslora' must be true or false, found " + HfConfig.quoted(rsNode));
            }
            boolean rs = rsNode.asBoolean(false);
            for (var e : tensors.entrySet()) {
                String name = e.getKey();
                if (!name.endsWith(".lora_A.weight")) {
                    if (!name.endsWith(".lora_B.weight")) {
                        throw new ModelFormatException(dir + ": unexpected adapter tensor " + name + " (only lora_A/lora_B are supported)");
                    }
                    String aName = name.substring(0, name.length() - ".lora_B.weight".length()) + ".lora_A.weight";
                    if (!tensors.containsKey(aName)) {
                        throw new ModelFormatException(dir + ": " + name + " has no " + aName + " (a LoRA module needs both)");
                    }
                    continue;
                }
                String module = name.substring(0, name.length() - ".lora_A.weight".length());
                CheckpointTensor a = e.getValue();
                CheckpointTensor b = tensors.get(module + ".lora_B.weight");
                if (b == null || a.shape().length != 2 || b.shape().length != 2 || a.shape()[0] != b.shape()[1]) {
                    throw new ModelFormatException(dir + ": " + module + " lacks a lora_B of matching rank");
                }
                int rank = (int) a.shape()[0];
                if (a.shape()[0] < 1 || a.shape()[0] > MAX_RANK) {
                    throw new ModelFormatException(dir + ": " + module + " has rank " + a.shape()[0] + "; expected 1.." + MAX_RANK);
                }
                double al = pattern(cfgFile, "alpha_pattern", cfg.path("alpha_pattern"), module, alpha, false);
                int rr = (int) pattern(cfgFile, "rank_pattern", cfg.path("rank_pattern"), module, r, true);
                if (rr != rank) {
                    throw new ModelFormatException(dir + ": " + module + " has rank " + rank + " but the config says " + rr);
                }
                float scale = (float) (rs ? al / Math.sqrt(rank) : al / rank);
                if (!(Math.abs(scale) <= MAX_SCALE)) { // released adapters scale by 0.25..16; 1e30 would overflow every activation
                    throw new ModelFormatException(cfgFile + ": " + module + "'s scale lora_alpha/" + (rs ? "√r" : "r") + " = " + al + "/"
                            + rank + " is out of range (at most " + MAX_SCALE + " in magnitude)");
                }
                ad.modules.put(strip(module), new Pair(floats(dir, a), floats(dir, b), rank, (int) a.shape()[1], (int) b.shape()[0], scale));
            }
            if (ad.modules.isEmpty()) {
                throw new ModelFormatException(dir + ": the adapter holds no LoRA weights");
            }
            return ad;
        } finally {
            if (open != null) {
                open.close();
            }
        }
    }

    /** PEFT's name of a module, base_model.model.[model.]layers.0.self_attn.q_proj, as the checkpoint spells it. */
    private static String strip(String module) {
        String m = module.startsWith("base_model.model.") ? module.substring("base_model.model.".length()) : module;
        return m.startsWith("model.") ? m.substring(6) : m;
    }

    /** A per-module override: PEFT matches pattern keys as suffixes of the module name. */
    private static double pattern(Path cfgFile, String key, JsonNode p, String module, double dflt, boolean rank) {
        if (p != null && p.isObject()) {
            for (var e : p.properties()) {
                if (module.equals(e.getKey()) || module.endsWith("." + e.getKey())) {
                    return configNumber(cfgFile, key + "." + e.getKey(), e.getValue(), dflt, rank);
                }
            }
        }
        return dflt;
    }

    /** The largest LoRA scale accepted. */
    static final double MAX_SCALE = 10_000;

    /** The largest LoRA rank accepted (PEFT's own adapters stay far below it). */
    static final int MAX_RANK = 1 << 14;

    /** A config number: finite (a "NaN" alpha would make every embedding NaN); a rank an integer 1..{@link #MAX_RANK}. */
    private static double configNumber(Path cfgFile, String key, JsonNode n, double dflt, boolean rank) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw new ModelFormatException(cfgFile + ": '" + key + "' must be a finite number, found " + HfConfig.quoted(n));
        }
        if (rank && (!n.isIntegralNumber() || n.longValue() < 1 || n.longValue() > MAX_RANK)) {
            throw new ModelFormatException(cfgFile + ": '" + key + "' must be an integer 1.." + MAX_RANK + ", found " + HfConfig.quoted(n));
        }
        return n.doubleValue();
    }

    /** A tensor's values; its type and size are checked against what the file holds before anything is allocated. */
    private static float[] floats(Path dir, CheckpointTensor t) {
        GgmlType type = t.decodableType();
        long n = 1;
        for (long d : t.shape()) {
            if (d < 0 || (d > 0 && n > (Integer.MAX_VALUE - 16) / d)) {
                throw new ModelFormatException(dir + ": tensor " + t.name() + " has an implausible shape " + java.util.Arrays.toString(t.shape()));
            }
            n *= d;
        }
        if (type.byteSize(n) > t.data().byteSize()) {
            throw new ModelFormatException(dir + ": tensor " + t.name() + " of shape " + java.util.Arrays.toString(t.shape()) + " needs "
                    + type.byteSize(n) + " bytes; the file holds " + t.data().byteSize());
        }
        float[] v = new float[(int) n];
        Dequant.dequantize(t.decodableType(), t.data(), 0, v, 0, v.length);
        for (int i = 0; i < v.length; i++) {
            // an adapter is small: checked whole here rather than found later as a NaN vector naming only the base model
            if (!Float.isFinite(v[i])) {
                throw new ModelFormatException((t.file() != null ? t.file() : dir) + ": tensor " + t.name() + " has a non-finite value ("
                        + v[i] + ") at index " + i);
            }
        }
        return v;
    }

    /** The layer {@code base} (HF module name {@code module}, without .weight) with this adapter's update, if it has one. */
    Linear apply(String module, Linear base) {
        return apply(module, base, 0);
    }

    /**
     * As {@link #apply(String, Linear)}, for a weight whose rows llama.cpp permuted per head
     * ({@code permuteHeads} heads; 0 for none): B's rows are permuted the same way.
     */
    Linear apply(String module, Linear base, int permuteHeads) {
        Pair p = modules.get(module);
        if (p == null && fresh != null && fresh.targets.contains(module.substring(module.lastIndexOf('.') + 1))) {
            p = initialise(module, base.in(), base.out());
            modules.put(module, p);
        }
        if (p == null) {
            return base;
        }
        if (p.in != base.in() || p.out != base.out()) {
            throw new ModelFormatException(dir + ": LoRA for " + module + " is " + p.out + "x" + p.in + ", the layer is "
                    + base.out() + "x" + base.in());
        }
        used.add(module);
        float[] b = permuteHeads > 0 ? permuteRows(p.b, permuteHeads, p.r) : p.b;
        LowRank lr = new LowRank(new DenseMatrix(p.a, p.r, p.in), new DenseMatrix(b, p.out, p.r), p.scale);
        if (!merge) {
            applied.add(new Applied(module, lr, permuteHeads));
            return new Linear(base.weight(), base.bias(), lr);
        }
        float[] w = new float[p.out * p.in];
        base.weight().decodeRows(0, p.out, w, 0);
        return new Linear(lr.mergeInto(w, p.out, p.in), base.bias());
    }

    private Pair initialise(String module, int in, int out) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(fresh.seed * 31 + module.hashCode());
        float[] a = new float[fresh.r * in];
        double bound = 1 / Math.sqrt(in);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return new Pair(a, new float[out * fresh.r], fresh.r, in, out, (float) (fresh.alpha / fresh.r));
    }

    /** The inverse of {@link #permuteRows}: llama.cpp's row order back to transformers'. */
    static float[] unpermuteRows(float[] w, int heads, int cols) {
        return permute(w, heads, cols, true);
    }

    /** B of an applied pair in transformers' row order (what a PEFT file holds). */
    public static float[] bAsStored(Applied a) {
        float[] b = a.lora().b().data();
        return a.permutedHeads() > 0 ? unpermuteRows(b, a.permutedHeads(), a.lora().a().rows()) : b.clone();
    }

    /** llama.cpp's convert permute on rows: HF row h·hd + j·hd/2 + i goes to row h·hd + 2i + j. */
    static float[] permuteRows(float[] w, int heads, int cols) {
        return permute(w, heads, cols, false);
    }

    private static float[] permute(float[] w, int heads, int cols, boolean inverse) {
        int rows = w.length / cols;
        int hd = rows / heads;
        float[] out = new float[w.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < hd / 2; i++) {
                for (int j = 0; j < 2; j++) {
                    int hf = h * hd + j * hd / 2 + i, gguf = h * hd + 2 * i + j;
                    System.arraycopy(w, (inverse ? gguf : hf) * cols, out, (inverse ? hf : gguf) * cols, cols);
                }
            }
        }
        return out;
    }

    /** Fails when a module of the adapter found no layer (an adapter for another model, or an unsupported target). */
    void checkAllApplied() {
        if (fresh != null && applied.isEmpty()) {
            throw new ModelFormatException("no layer of the model is a LoRA target " + fresh.targets);
        }
        Set<String> left = new LinkedHashSet<>(modules.keySet());
        left.removeAll(used);
        if (!left.isEmpty()) {
            throw new ModelFormatException(dir + ": LoRA modules with no matching layer in the model: " + left);
        }
    }

    public Path directory() {
        return dir;
    }

    /** Whether {@code message} names this adapter's directory (an error that is about the adapter, not the model). */
    boolean namedIn(String message) {
        return dir != null && message != null && message.contains(dir.toString());
    }

    public boolean merged() {
        return merge;
    }
}
