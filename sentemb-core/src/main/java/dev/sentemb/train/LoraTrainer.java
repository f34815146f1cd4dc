package dev.sentemb.train;

import dev.sentemb.model.Differentiable;
import dev.sentemb.model.LoraAdapter;
import dev.sentemb.model.LoraDropout;
import dev.sentemb.model.LoraGradients;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimizer step of contrastive LoRA training on a batch, with the exact full-batch gradient in memory
 * bounded by the micro-batch (gradient caching):
 *
 * <ol>
 *   <li>embed every sentence of the batch, micro-batch by micro-batch, keeping no activations;</li>
 *   <li>compute the loss over the whole batch and its gradient with respect to each embedding;</li>
 *   <li>re-run each micro-batch forward keeping activations (same dropout masks: they are keyed by the
 *       sentence and step, not by the chunk) and backward from its embeddings' gradients, adding into the
 *       LoRA gradients;</li>
 *   <li>clip, take an AdamW step with the scheduled rate, clear the gradients.</li>
 * </ol>
 * The sum over micro-batches of the chain rule through their embeddings is the full batch's gradient.
 */
public final class LoraTrainer {
    /** What a step did. */
    public record StepResult(int step, double loss, double lr, double gradNorm, long tokens, double seconds) {}

    private final Differentiable model;
    private final List<LoraAdapter.Applied> params;
    private final TrainConfig config;
    private final LrSchedule schedule;
    private final AdamW optimizer;
    private final LoraGradients grads = new LoraGradients();

    public LoraTrainer(Differentiable model, List<LoraAdapter.Applied> params, TrainConfig config, LrSchedule schedule) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("nothing to train: the model has no LoRA layers");
        }
        this.model = model;
        this.params = List.copyOf(params);
        this.config = config;
        this.schedule = schedule;
        int[] sizes = new int[2 * params.size()];
        for (int i = 0; i < params.size(); i++) {
            sizes[2 * i] = params.get(i).lora().a().data().length;
            sizes[2 * i + 1] = params.get(i).lora().b().data().length;
        }
        this.optimizer = new AdamW(sizes, 0.9, 0.999, 1e-8, 0.0);
    }

    public List<LoraAdapter.Applied> parameters() {
        return params;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /**
     * Embeddings, loss and LoRA gradients of one batch without changing any parameter; the gradients stay
     * in {@link #gradients()} until the next call. {@code sentences}: anchors, positives, then (if the loss
     * uses them) hard negatives, B each, as prompt token ids.
     */
    public ContrastiveLoss.Result lossAndGradients(List<int[]> sentences, int batch, boolean hardNegatives, int step) {
        grads.clear();
        LoraDropout dropout = LoraDropout.of(config.dropout(), config.seed(), step);
        int chunk = Math.max(1, config.microBatch() * (hardNegatives ? 3 : 2));
        float[][] z = new float[sentences.size()][];
        for (int from = 0; from < sentences.size(); from += chunk) {
            int to = Math.min(sentences.size(), from + chunk);
            Differentiable.Tape tape = model.forward(sentences.subList(from, to), keys(from, to), dropout, false);
            readLast(tape, z, from);
        }
        for (int r = 0; r < z.length; r++) {
            for (float v : z[r]) {
                if (!Float.isFinite(v)) {
                    throw new TrainingDivergedException("sentence " + r + " of the batch of step " + (step + 1) + " has a non-finite embedding; "
                            + "no parameter was changed (lower --lr, or check the model file)");
                }
            }
        }
        ContrastiveLoss.Result loss = ContrastiveLoss.compute(z, batch, config.temperature(), hardNegatives);
        for (int from = 0; from < sentences.size(); from += chunk) {
            int to = Math.min(sentences.size(), from + chunk);
            Differentiable.Tape tape = model.forward(sentences.subList(from, to), keys(from, to), dropout, true);
            int[] off = tape.offsets();
            int d = z[0].length;
            float[] dHidden = new float[tape.tokenCount() * d];
            for (int s = 0; s < to - from; s++) {
                System.arraycopy(loss.gradient()[from + s], 0, dHidden, (off[s + 1] - 1) * d, d);
            }
            model.backward(tape, dHidden, grads);
        }
        return loss;
    }

    /** One optimizer step on a batch (see {@link #lossAndGradients}); {@code step} is 0-based. */
    public StepResult step(List<int[]> sentences, int batch, boolean hardNegatives, int step) {
        long start = System.nanoTime();
        ContrastiveLoss.Result loss = lossAndGradients(sentences, batch, hardNegatives, step);
        double lr = schedule.at(step);
        double norm = optimizer.step(parameterArrays(), gradientArrays(), lr, config.maxGradNorm());
        long tokens = 0;
        for (int[] s : sentences) {
            tokens += s.length;
        }
        return new StepResult(step, loss.loss(), lr, norm, tokens, (System.nanoTime() - start) / 1e9);
    }

    /** The live parameter arrays, A then B of each layer in model order. */
    public float[][] parameterArrays() {
        float[][] p = new float[2 * params.size()][];
        for (int i = 0; i < params.size(); i++) {
            p[2 * i] = params.get(i).lora().a().data();
            p[2 * i + 1] = params.get(i).lora().b().data();
        }
        return p;
    }

    /** The gradient arrays in the order of {@link #parameterArrays}. */
    public float[][] gradientArrays() {
        float[][] g = new float[2 * params.size()][];
        for (int i = 0; i < params.size(); i++) {
            LoraGradients.Pair pair = grads.of(params.get(i).lora());
            g[2 * i] = pair.a();
            g[2 * i + 1] = pair.b();
        }
        return g;
    }

    public LoraGradients gradients() {
        return grads;
    }

    private static long[] keys(int from, int to) {
        long[] k = new long[to - from];
        for (int i = 0; i < k.length; i++) {
            k[i] = from + i;
        }
        return k;
    }

    private static void readLast(Differentiable.Tape tape, float[][] z, int from) {
        int[] off = tape.offsets();
        float[] h = tape.hidden();
        int d = h.length / tape.tokenCount();
        for (int s = 0; s + 1 < off.length; s++) {
            z[from + s] = java.util.Arrays.copyOfRange(h, (off[s + 1] - 1) * d, off[s + 1] * d);
        }
    }

    /** Prompt ids of a batch in the order {@link #step} expects. */
    public static List<int[]> order(List<int[][]> examples, boolean hardNegatives) {
        List<int[]> out = new ArrayList<>(examples.size() * 3);
        for (int part = 0; part < (hardNegatives ? 3 : 2); part++) {
            for (int[][] e : examples) {
                out.add(e[part]);
            }
        }
        return out;
    }
}
