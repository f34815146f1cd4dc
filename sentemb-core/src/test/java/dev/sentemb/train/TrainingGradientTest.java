package dev.sentemb.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.model.Differentiable;
import dev.sentemb.model.HfModels;
import dev.sentemb.model.LoraAdapter;
import dev.sentemb.model.LoraDropout;
import dev.sentemb.model.LoraGradients;
import dev.sentemb.model.TransformerModel;
import dev.sentemb.weights.HfCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A training pass with dropout active (LoRA input dropout, and OPT's own dropout on its embeddings and
 * sub-block outputs): the backward pass's LoRA gradients of L = Σ c ∘ hidden, along random directions,
 * must equal central finite differences of L computed by forward-only passes under the same masks. A
 * backward that used other masks than its forward, or skipped one, is off by far more than the tolerance.
 * The tiny random OPTs sit too close to their ReLU kinks (and their LayerNorms amplify too much) for a
 * float finite difference through the ReLU; for them the directions move only the last fc2's LoRA, whose
 * path to the output crosses the MLP-output dropout but no ReLU (the oracle test covers the rest, without dropout).
 */
class TrainingGradientTest {
    static final Path RES = Path.of("src/test/resources");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"llama, hf/llama-lora", "opt, train/opt-step/adapter", "opt-proj, train/opt-proj-step/adapter",
                "gemma3, train/gemma3-step/adapter"})
    void gradientsMatchFiniteDifferencesUnderDropout(String arch, String adapterDir) throws Exception {
        JsonNode batch = new ObjectMapper().readTree(RES.resolve("train/" + arch + "-step/batch.json").toFile());
        List<int[]> seqs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seqs.add(ids(batch.get("anchors").get(i)));
        }
        long[] keys = {11, 12, 13};
        LoraDropout dropout = LoraDropout.of(0.3, 7, 1);
        try (Kernels kernels = Kernels.vector(2); HfCheckpoint ckpt = HfCheckpoint.open(RES.resolve("hf/" + arch))) {
            LoraAdapter adapter = LoraAdapter.load(RES.resolve(adapterDir), false);
            TransformerModel model = HfModels.load(ckpt, kernels, false, adapter);
            Differentiable diff = model.differentiable().orElseThrow();
            Differentiable.Tape tape = diff.forward(seqs, keys, dropout, true);
            assertFalse(java.util.Arrays.equals(tape.hidden(), diff.forward(seqs, keys, LoraDropout.NONE, false).hidden()),
                    "dropout changes the pass");
            Random r = new Random(3);
            float[] c = new float[tape.hidden().length];
            for (int i = 0; i < c.length; i++) {
                c[i] = (float) r.nextGaussian();
            }
            LoraGradients grads = new LoraGradients();
            diff.backward(tape, c, grads);
            List<float[]> params = new ArrayList<>(), grad = new ArrayList<>();
            for (LoraAdapter.Applied a : adapter.applied()) {
                if (arch.startsWith("opt") && !a.module().equals("decoder.layers.1.fc2")) {
                    continue;
                }
                params.add(a.lora().a().data());
                grad.add(grads.of(a.lora()).a());
                params.add(a.lora().b().data());
                grad.add(grads.of(a.lora()).b());
            }
            assertFalse(params.isEmpty());
            for (int dir = 0; dir < 3; dir++) { // along a random direction v: ∇L·v against (L(θ+v) − L(θ−v)) / 2
                List<float[]> v = new ArrayList<>();
                double predicted = 0;
                for (int p = 0; p < params.size(); p++) {
                    float[] w = params.get(p), d = new float[w.length];
                    double ss = 0;
                    for (float x : w) {
                        ss += (double) x * x;
                    }
                    double rms = Math.sqrt(ss / w.length);
                    for (int i = 0; i < d.length; i++) {
                        d[i] = (float) (r.nextGaussian() * SCALE * rms);
                        predicted += (double) grad.get(p)[i] * d[i];
                    }
                    v.add(d);
                }
                shift(params, v, 1);
                double up = loss(diff, seqs, keys, dropout, c);
                shift(params, v, -2);
                double down = loss(diff, seqs, keys, dropout, c);
                shift(params, v, 1);
                double fd = (up - down) / 2;
                assertTrue(Math.abs(fd - predicted) <= 1e-2 * Math.abs(fd),
                        arch + " direction " + dir + ": gradient·v " + predicted + ", finite difference " + fd);
            }
        }
    }

    static final double SCALE = 1e-3; // small enough that curvature stays under the tolerance, large enough for float loss differences

    private static void shift(List<float[]> params, List<float[]> v, int times) {
        for (int p = 0; p < params.size(); p++) {
            float[] w = params.get(p), d = v.get(p);
            for (int i = 0; i < w.length; i++) {
                w[i] += times * d[i];
            }
        }
    }

    private static double loss(Differentiable diff, List<int[]> seqs, long[] keys, LoraDropout dropout, float[] c) {
        float[] h = diff.forward(seqs, keys, dropout, false).hidden();
        double s = 0;
        for (int i = 0; i < h.length; i++) {
            s += (double) c[i] * h[i];
        }
        return s;
    }

    private static int[] ids(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
