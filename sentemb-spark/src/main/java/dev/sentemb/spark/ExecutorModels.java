package dev.sentemb.spark;

import dev.sentemb.SentembException;
import dev.sentemb.embed.Encoder;
import dev.sentemb.load.KnownModel;
import dev.sentemb.load.ModelRegistry;
import dev.sentemb.load.ModelSpec;
import dev.sentemb.load.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * The models of one JVM (an executor, or the driver in local mode): each spec and encoder setting is loaded
 * once, memory-mapped, and shared by every task and thread of the JVM through one engine, which batches
 * their rows together. The model file's SHA-256 is checked once, when it is loaded.
 */
final class ExecutorModels {
    private record Key(ModelSpec spec, SentembSpark.Options options) {}

    private static final Map<Key, Encoder> LOADED = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    static Encoder get(ModelSpec spec, SentembSpark.Options opts) {
        // computeIfAbsent: concurrent tasks of one JVM wait for the one load rather than each mapping the model.
        return LOADED.computeIfAbsent(new Key(spec, opts.encoderKey()), k -> load(k.spec(), k.options()));
    }

    static void closeAll() {
        List<Encoder> all = new ArrayList<>(LOADED.values());
        LOADED.clear();
        all.forEach(Encoder::close);
    }

    /** How many models this JVM holds (tests check that tasks share one). */
    static int loadedCount() {
        return LOADED.size();
    }

    private static Encoder load(ModelSpec spec, SentembSpark.Options opts) {
        Path file = locate(spec.model());
        String expected = opts.sha256() != null ? opts.sha256()
                : ModelRegistry.find(spec.model()).map(KnownModel::sha256).orElse(null);
        if (expected != null) {
            if (!Files.isRegularFile(file)) {
                throw new SentembException("model " + file + " on " + where() + ": a SHA-256 was given, but it is not a single file");
            }
            String got = sha256(file);
            if (!got.equals(expected)) {
                throw new SentembException("model " + file + " on " + where() + " has SHA-256 " + got + ", expected " + expected
                        + ": this machine's copy differs from the one the job was started with");
            }
        }
        Encoder.Builder b = Encoder.builder(new ModelSpec(file.toString(), spec.adapter(), spec.mergeAdapter(), spec.quantizeQ8(), spec.packedBytes()))
                .strategy(opts.embeddingStrategy())
                .normalize(opts.normalize())
                .truncate(opts.truncate());
        if (opts.maxTokens() > 0) {
            b.maxPromptTokens(opts.maxTokens());
        }
        int threads = opts.threads() > 0 ? opts.threads() : executorCores().orElse(0);
        if (threads > 0) {
            b.threads(threads);
        }
        return b.build();
    }

    /**
     * The model's file on this machine: a registry name through this machine's model cache (fetched on first
     * use), a path on shared storage, or a file shipped with {@code --files} (found by its name in
     * {@link SparkFiles}).
     */
    static Path locate(String model) {
        if (ModelRegistry.find(model).isPresent()) {
            return ModelStore.standard().resolve(model, null);
        }
        Path p = Path.of(model);
        if (Files.exists(p)) {
            return p;
        }
        Optional<Path> shipped = shipped(p.getFileName() == null ? model : p.getFileName().toString());
        if (shipped.isPresent()) {
            return shipped.get();
        }
        return ModelStore.standard().resolve(model, null); // an HF model id in this machine's HF cache, or its error
    }

    private static Optional<Path> shipped(String name) {
        if (SparkEnv.get() == null) {
            return Optional.empty();
        }
        try {
            Path p = Path.of(SparkFiles.get(name));
            return Files.exists(p) ? Optional.of(p) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> executorCores() {
        SparkEnv env = SparkEnv.get();
        if (env == null || "driver".equals(env.executorId())) {
            return Optional.empty(); // local mode: the driver's JVM runs the tasks on every core
        }
        scala.Option<String> cores = env.conf().getOption("spark.executor.cores");
        return cores.isDefined() ? Optional.of(Integer.parseInt(cores.get().trim())) : Optional.empty();
    }

    private static String where() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "this JVM" : "executor " + env.executorId();
    }

    static String sha256(Path file) {
        try {
            return ModelStore.sha256(file);
        } catch (IOException e) {
            throw new SentembException("cannot read model " + file + " on " + where() + ": " + e.getMessage(), e);
        }
    }
}
