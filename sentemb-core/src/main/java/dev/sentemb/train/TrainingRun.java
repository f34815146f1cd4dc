package dev.sentemb.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A whole training run over prepared examples: epochs of shuffled batches (the order a pure function of the
 * seed and the epoch, so a resumed run sees the batches an uninterrupted one would), an optimizer step per
 * batch, a resumable checkpoint every {@code saveEvery} steps and at the end, the dev score at checkpoints
 * ({@code evalEvery}), the best checkpoint's adapter copied to {@code best/}, the final adapter at the top of
 * the output directory, and one {@code train-log.jsonl} line per step (and per evaluation).
 */
public final class TrainingRun {
    /** Scores the model's current weights (e.g. STS-B dev Spearman ×100); higher is better. */
    public interface DevScore {
        double score();
    }

    /** What a run reports as it goes. */
    public interface Listener {
        void step(LoraTrainer.StepResult r, int totalSteps);

        default void evaluated(int step, double score) {}

        default void saved(Path checkpoint) {}
    }

    /**
     * @param output    the run's directory
     * @param baseModel base_model_name_or_path written into the adapters
     * @param saveEvery steps between checkpoints (≤ 0: only at the end)
     * @param evalEvery steps between dev scores (≤ 0: at checkpoints only); null scorer: none
     */
    public record Options(Path output, String baseModel, int saveEvery, int evalEvery) {}

    private final LoraTrainer trainer;
    private final TrainConfig config;
    private final List<int[][]> examples;
    private final boolean hardNegatives;
    private final Options options;
    private final DevScore dev;
    private final Listener listener;

    public TrainingRun(LoraTrainer trainer, TrainConfig config, List<int[][]> examples, boolean hardNegatives, Options options,
            DevScore dev, Listener listener) {
        this.trainer = trainer;
        this.config = config;
        this.examples = List.copyOf(examples);
        this.hardNegatives = hardNegatives;
        this.options = options;
        this.dev = dev;
        this.listener = listener;
    }

    /** Optimizer steps of one epoch: every full batch, and the remainder when it holds at least two examples. */
    public static int stepsPerEpoch(int examples, int batch) {
        return examples / batch + (examples % batch >= 2 ? 1 : 0);
    }

    public static int totalSteps(int examples, TrainConfig cfg) {
        return stepsPerEpoch(examples, cfg.batch()) * cfg.epochs();
    }

    /** The examples of step {@code step}, in order. */
    List<int[][]> batch(int step) {
        int per = stepsPerEpoch(examples.size(), config.batch());
        int epoch = step / per, within = step % per;
        int[] order = order(examples.size(), config.seed(), epoch);
        int from = within * config.batch(), to = Math.min(examples.size(), from + config.batch());
        List<int[][]> b = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            b.add(examples.get(order[i]));
        }
        return b;
    }

    static int[] order(int n, long seed, int epoch) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        Random r = new Random(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /** Runs from {@code state} (a fresh run: step 0) to the last step; returns the final state. */
    public PeftCheckpoint.State run(PeftCheckpoint.State state) {
        int total = totalSteps(examples.size(), config);
        Path log = options.output().resolve("train-log.jsonl");
        truncateLog(log, state.step());
        double best = state.bestScore();
        int bestStep = state.bestStep();
        if (dev != null && state.step() == 0) { // the model as it starts: a fresh adapter changes nothing yet
            double score = dev.score();
            append(log, new ObjectMapper().createObjectNode().put("step", 0).put("dev", score).toString());
            listener.evaluated(0, score);
        }
        for (int step = state.step(); step < total; step++) {
            List<int[][]> b = batch(step);
            LoraTrainer.StepResult r = trainer.step(LoraTrainer.order(b, hardNegatives), b.size(), hardNegatives, step);
            if (!Double.isFinite(r.loss())) {
                throw new TrainingDivergedException("the loss of step " + (step + 1) + " is " + r.loss());
            }
            int done = step + 1;
            ObjectNode line = new ObjectMapper().createObjectNode();
            line.put("step", done).put("loss", r.loss()).put("lr", r.lr()).put("grad_norm", r.gradNorm())
                    .put("tokens", r.tokens()).put("tokens_per_s", r.tokens() / r.seconds());
            boolean save = done == total || (options.saveEvery() > 0 && done % options.saveEvery() == 0);
            boolean eval = dev != null && (save || (options.evalEvery() > 0 && done % options.evalEvery() == 0));
            if (eval) {
                double score = dev.score();
                line.put("dev", score);
                if (score > best || bestStep == 0) {
                    best = score;
                    bestStep = done;
                    PeftCheckpoint.saveAdapter(options.output().resolve("best"), trainer.parameters(), config.rank(), config.alpha(),
                            config.dropout(), options.baseModel());
                }
                listener.evaluated(done, score);
            }
            append(log, line.toString());
            listener.step(r, total);
            if (save) {
                Path ckpt = options.output().resolve("checkpoint-" + done);
                PeftCheckpoint.save(ckpt, trainer, config, options.baseModel(),
                        new PeftCheckpoint.State(done, best, bestStep, config.seed(), config.batch(), examples.size()));
                listener.saved(ckpt);
            }
            state = new PeftCheckpoint.State(done, best, bestStep, config.seed(), config.batch(), examples.size());
        }
        PeftCheckpoint.saveAdapter(options.output(), trainer.parameters(), config.rank(), config.alpha(), config.dropout(),
                options.baseModel());
        return state;
    }

    /** A resumed run drops log lines of the steps it will run again. */
    private static void truncateLog(Path log, int keepSteps) {
        if (!Files.exists(log)) {
            return;
        }
        try {
            List<String> kept = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (!l.isBlank() && json.readTree(l).path("step").asInt() <= keepSteps) {
                    kept.add(l);
                }
            }
            Files.write(log, kept, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + log, e);
        }
    }

    private static void append(Path log, String line) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + log, e);
        }
    }
}
