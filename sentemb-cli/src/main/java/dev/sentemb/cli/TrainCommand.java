package dev.sentemb.cli;

import dev.sentemb.embed.Encoder;
import dev.sentemb.eval.run.EvalRun;
import dev.sentemb.eval.run.TaskEmbedder;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.Parallel;
import dev.sentemb.load.LoadedModel;
import dev.sentemb.load.ModelRegistry;
import dev.sentemb.load.ModelSpec;
import dev.sentemb.load.ModelStore;
import dev.sentemb.model.Differentiable;
import dev.sentemb.model.LoraAdapter;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.prompt.Templates;
import dev.sentemb.strategy.PromptEolStrategy;
import dev.sentemb.train.LoraTrainer;
import dev.sentemb.train.LrSchedule;
import dev.sentemb.train.PeftCheckpoint;
import dev.sentemb.train.TrainConfig;
import dev.sentemb.train.TrainingData;
import dev.sentemb.train.TrainingPrompts;
import dev.sentemb.train.TrainingRun;
import dev.sentemb.train.Triplet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a model into a better sentence encoder: contrastive LoRA on NLI triplets (the paper's second "
                + "setting), with the reference's recipe as defaults.",
                "Writes PEFT adapters (loadable by PEFT on the Hugging Face model and by sentemb --adapter), checkpoints every "
                + "--save-every steps with their STS-B dev score, the best one as DIR/best, and DIR/train-log.jsonl."})
final class TrainCommand implements Callable<Integer> {
    /**
     * Every linear layer of every architecture, in transformers' module names (llama, qwen2 and Gemma 3:
     * q/k/v/o and gate/up/down; OPT: q/k/v/out_proj, fc1, fc2 and project_in/out where the model has them).
     * As PEFT's all-linear: a fresh adapter attaches to those the model has; the LM head is never one.
     */
    static final Set<String> ALL_LINEAR = Set.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj",
            "out_proj", "fc1", "fc2", "project_in", "project_out");

    @Option(names = {"-m", "--model"}, defaultValue = ModelRegistry.DEFAULT_MODEL, paramLabel = "NAME|PATH",
            description = "The frozen base: a model name, a .gguf file or a Hugging Face directory (llama and qwen2 families). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Training triplets: SimCSE's CSV (sent0,sent1[,hard_neg]) or JSONL with the same fields.")
    Path data;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where the adapters, checkpoints and log go.")
    Path output;

    @Option(names = "--template", defaultValue = "eol", paramLabel = "TEMPLATE",
            description = "The prompt (as for embed; the reference trains with the plain one). Default: ${DEFAULT-VALUE}.")
    String template;

    @Option(names = "--max-sentence-tokens", defaultValue = "32", paramLabel = "N",
            description = "Each sentence is cut to its first N tokens before it goes into the template. Default: ${DEFAULT-VALUE}.")
    int maxSentenceTokens;

    @Option(names = "--temperature", defaultValue = "0.05", paramLabel = "T", description = "Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--no-hard-negatives", description = "Ignore hard_neg: only in-batch negatives.")
    boolean noHardNegatives;

    @Option(names = "--batch", defaultValue = "256", paramLabel = "N", description = "Triplets per optimizer step; all are each other's negatives. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--micro-batch", defaultValue = "8", paramLabel = "N",
            description = "Triplets per forward/backward chunk (memory follows it, ~1 MB a prompt token for smollm2-135m; the gradient is "
                    + "the whole batch's). Default: ${DEFAULT-VALUE}.")
    int microBatch;

    @Option(names = "--lora-r", defaultValue = "64", paramLabel = "R", description = "Default: ${DEFAULT-VALUE}.")
    int rank;

    @Option(names = "--lora-alpha", defaultValue = "16", paramLabel = "A", description = "Default: ${DEFAULT-VALUE}.")
    double alpha;

    @Option(names = "--lora-dropout", defaultValue = "0.05", paramLabel = "P", description = "Default: ${DEFAULT-VALUE}.")
    double dropout;

    @Option(names = "--targets", defaultValue = "all-linear", paramLabel = "LIST",
            description = "all-linear or module names, e.g. q_proj,v_proj. Default: ${DEFAULT-VALUE}.")
    String targets;

    @Option(names = "--lr", defaultValue = "5e-4", paramLabel = "LR", description = "Peak learning rate (AdamW). Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--warmup-steps", paramLabel = "N", description = "Linear warm-up steps. Default: 100 (as the reference), at most the run's length.")
    Integer warmupSteps;

    @Option(names = "--warmup-ratio", paramLabel = "F", description = "Warm-up as a fraction of all steps (instead of --warmup-steps).")
    Double warmupRatio;

    @Option(names = "--epochs", defaultValue = "1", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--max-grad-norm", defaultValue = "1.0", paramLabel = "N",
            description = "Clip the global gradient norm (HF Trainer's default); 0: no clipping. Default: ${DEFAULT-VALUE}.")
    double maxGradNorm;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Data order, LoRA initialisation, dropout. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads. Default: all cores.")
    Integer threads;

    @Option(names = "--save-every", defaultValue = "50", paramLabel = "N", description = "Steps between checkpoints (and dev scores). Default: ${DEFAULT-VALUE}.")
    int saveEvery;

    @Option(names = "--eval-every", defaultValue = "0", paramLabel = "N", description = "Steps between STS-B dev scores besides the checkpoints' (0: only at checkpoints).")
    int evalEvery;

    @Option(names = "--no-eval", description = "Do not score STS-B dev (no SentEval data needed); best/ is then not written.")
    boolean noEval;

    @Option(names = "--senteval", paramLabel = "DIR", description = "SentEval's data folder for the dev score. Default: $SENTEMB_DATA, else ../shared/data/senteval.")
    Path senteval;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N usable examples.")
    Integer limit;

    @Option(names = "--strict", description = "Fail on the first malformed data row instead of skipping it.")
    boolean strict;

    @Option(names = "--resume", description = "Continue from the last checkpoint in --output (adapter, optimizer state and data order).")
    boolean resume;

    @Option(names = "--base-model-name", paramLabel = "NAME",
            description = "base_model_name_or_path written into the adapters (the Hugging Face id PEFT should load them on). Default: --model.")
    String baseModelName;

    @Override
    public Integer call() throws Exception {
        List<String> skipped = new ArrayList<>();
        List<Triplet> rows = TrainingData.read(data, strict, skipped::add);
        Path evalDir = noEval ? null : DataDir.resolve(senteval);
        EvalRun devRun = evalDir == null ? null : EvalRun.load(evalDir, List.of("STSBenchmark-dev"));
        Set<String> targetSet = parseTargets(targets);
        Optional<Path> from = resume ? PeftCheckpoint.latest(output) : Optional.empty();
        if (resume && from.isEmpty()) {
            System.err.println("sentemb: no checkpoint in " + output + " to resume; starting a new run");
        }
        if (!resume && Files.isDirectory(output) && PeftCheckpoint.latest(output).isPresent()) {
            throw new IllegalArgumentException(output + " already holds checkpoints; pass --resume to continue that run or choose another --output");
        }
        Path modelPath = ModelStore.standard().resolve(model, Progress.forFetch(model));
        PromptTemplate tpl = Templates.resolve(template);
        try (Parallel pool = threads != null ? new Parallel(threads) : null) {
            Kernels kernels = Kernels.vector(pool != null ? pool : Parallel.common());
            LoraAdapter adapter = from.isPresent() ? LoraAdapter.load(from.get(), false) : LoraAdapter.fresh(targetSet, rank, alpha, seed);
            try (LoadedModel loaded = LoadedModel.open(modelPath, ModelSpec.of(model), kernels, adapter)) {
                Differentiable diff = loaded.model().differentiable().orElseThrow(() -> new IllegalArgumentException(
                        "the " + loaded.model().config().architecture() + " model has no training passes"));
                int context = loaded.model().config().contextLength() > 0 ? loaded.model().config().contextLength() : Integer.MAX_VALUE;
                List<int[][]> examples = TrainingPrompts.prepare(rows, loaded.tokenizer(), tpl, maxSentenceTokens, context, skipped::add);
                if (limit != null && examples.size() > limit) {
                    examples = examples.subList(0, limit);
                }
                long withNeg = examples.stream().filter(e -> e[2] != null).count();
                boolean hard = !noHardNegatives && withNeg == examples.size();
                if (!noHardNegatives && withNeg > 0 && withNeg < examples.size()) {
                    System.err.printf("sentemb: %d of %d examples lack hard_neg: training on pairs with in-batch negatives only%n",
                            examples.size() - withNeg, examples.size());
                }
                for (String s : skipped) {
                    System.err.println("sentemb: skipped " + s);
                }
                if (examples.size() < 2) {
                    throw new IllegalArgumentException(data + ": " + examples.size() + " usable example(s); contrastive training needs at least 2");
                }
                TrainConfig cfg = new TrainConfig(Math.min(batch, examples.size()), microBatch, temperature, hard, rank, alpha, dropout, lr,
                        0, epochs, maxGradNorm, seed);
                int total = TrainingRun.totalSteps(examples.size(), cfg);
                int warm = warmupRatio != null ? (int) Math.ceil(warmupRatio * total) : warmupSteps != null ? warmupSteps : Math.min(100, total);
                LrSchedule schedule = new LrSchedule(lr, warm, total);
                LoraTrainer trainer = new LoraTrainer(diff, adapter.applied(), cfg, schedule);
                PeftCheckpoint.State state = new PeftCheckpoint.State(0, 0.0, 0, seed, cfg.batch(), examples.size());
                if (from.isPresent()) {
                    state = PeftCheckpoint.readState(from.get());
                    if (state.seed() != seed || state.batch() != cfg.batch() || state.examples() != examples.size()) {
                        throw new IllegalArgumentException(from.get() + " was trained with seed " + state.seed() + ", batch " + state.batch()
                                + " and " + state.examples() + " examples; this run has " + seed + ", " + cfg.batch() + " and " + examples.size());
                    }
                    PeftCheckpoint.restoreOptimizer(from.get(), trainer);
                    System.err.printf("sentemb: resuming %s at step %d of %d%n", from.get(), state.step(), total);
                }
                String base = baseModelName != null ? baseModelName : model;
                System.err.printf(Locale.ROOT, "sentemb: training %s + LoRA r=%d alpha=%s on %s (%d examples, %s), %d step%s of %d "
                        + "(micro-batches of %d), lr %s warm-up %d, %s%n", model, rank, fmt(alpha), data, examples.size(),
                        hard ? "hard negatives" : "in-batch negatives", total, total == 1 ? "" : "s", cfg.batch(), microBatch, fmt(lr), warm, kernels.describe());
                TrainingRun.DevScore dev = devRun == null ? null : () -> devScore(loaded, kernels, tpl, devRun);
                StepReporter reporter = new StepReporter(total, state.step());
                PeftCheckpoint.State end;
                try {
                    end = new TrainingRun(trainer, cfg, examples, hard, new TrainingRun.Options(output, base, saveEvery, evalEvery), dev, reporter)
                            .run(state);
                } catch (OutOfMemoryError e) {
                    // the activations of one micro-batch must fit the heap (about 1 MB a prompt token for smollm2-135m)
                    throw new dev.sentemb.SentembException("out of memory with micro-batches of " + microBatch + " triplets (heap "
                            + (Runtime.getRuntime().maxMemory() >> 20) + " MB): lower --micro-batch, or raise the heap with "
                            + "SENTEMB_JAVA_OPTS=-Xmx...; checkpoints written so far are kept (--resume)");
                } finally {
                    reporter.close();
                }
                System.out.printf(Locale.ROOT, "adapter: %s%n", output.toAbsolutePath());
                if (end.bestStep() > 0) {
                    System.out.printf(Locale.ROOT, "best STS-B dev: %.2f at step %d (%s)%n", end.bestScore(), end.bestStep(),
                            output.resolve("best").toAbsolutePath());
                }
            }
        }
        return skipped.isEmpty() ? ExitCodes.OK : ExitCodes.SKIPPED_LINES;
    }

    /** STS-B dev Spearman ×100 of the weights as they are now, through the same path as {@code eval --tasks stsb-dev}. */
    private static double devScore(LoadedModel loaded, Kernels kernels, PromptTemplate tpl, EvalRun devRun) {
        try (Encoder enc = Encoder.borrowing(loaded, kernels, PromptEolStrategy.of(tpl))) {
            TaskEmbedder embedder = new TaskEmbedder(enc, null, TaskEmbedder.Progress.NONE);
            return devRun.run(embedder::embed, 10).sts().get(0).spearman();
        }
    }

    static Set<String> parseTargets(String spec) {
        if (spec.equals("all-linear")) {
            return ALL_LINEAR;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String t : spec.split(",")) {
            String s = t.strip();
            if (!ALL_LINEAR.contains(s)) {
                throw new IllegalArgumentException("--targets: unknown module '" + s + "'; expected all-linear or some of " + new java.util.TreeSet<>(ALL_LINEAR));
            }
            out.add(s);
        }
        return out;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** A bar with loss, lr and tokens/s on a terminal; a line per step otherwise. */
    private static final class StepReporter implements TrainingRun.Listener, AutoCloseable {
        private final ProgressMeter bar;
        private final int total;

        StepReporter(int total, int done) {
            this.total = total;
            this.bar = Progress.onTerminal() ? ProgressMeter.start("train", total, "steps") : null;
            if (bar != null) {
                bar.stepTo(done);
            }
        }

        @Override
        public void step(LoraTrainer.StepResult r, int totalSteps) {
            String msg = String.format(Locale.ROOT, "loss %.4f lr %.2e |g| %.3f %.0f tok/s", r.loss(), r.lr(), r.gradNorm(), r.tokens() / r.seconds());
            if (bar != null) {
                bar.stepTo(r.step() + 1);
                bar.message(msg);
            } else {
                System.err.printf(Locale.ROOT, "step %d/%d %s (%.1f s)%n", r.step() + 1, total, msg, r.seconds());
            }
        }

        @Override
        public void evaluated(int step, double score) {
            String line = String.format(Locale.ROOT, "step %d: STS-B dev %.2f", step, score);
            if (bar != null) {
                bar.message(line);
            }
            System.err.println(line);
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
