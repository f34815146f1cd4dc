package dev.sentemb.eval.run;

import dev.sentemb.embed.Similarity;
import dev.sentemb.eval.sts.StsData;
import dev.sentemb.eval.sts.StsEvaluator;
import dev.sentemb.eval.sts.StsPair;
import dev.sentemb.eval.sts.StsResult;
import dev.sentemb.eval.sts.StsTask;
import dev.sentemb.eval.transfer.TransferData;
import dev.sentemb.eval.transfer.TransferEvaluator;
import dev.sentemb.eval.transfer.TransferResult;
import dev.sentemb.eval.transfer.TransferTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One evaluation: loads every task first (so a bad data file fails before any embedding), embeds each
 * distinct sentence once across all tasks, task by task so progress can be shown per task, then scores
 * STS by cosine and the transfer tasks by SentEval's classifier protocols.
 */
public final class EvalRun {
    /** Embeds the sentences a task still needs (none of them embedded before in this run). */
    public interface Embedder {
        Map<String, float[]> embed(String task, List<String> sentences);
    }

    /** Told how the classifier work of each transfer task advances (the fits can take minutes). */
    public interface ScoringProgress {
        ScoringProgress NONE = new ScoringProgress() {
            public Runnable begin(String task, int fits) {
                return () -> {};
            }

            public void end(String task, TransferResult result, double seconds) {}
        };

        /** Before a task's fits; returns what to call (from any thread) after each of them. */
        Runnable begin(String task, int fits);

        void end(String task, TransferResult result, double seconds);
    }

    /** Cosine and gold of one STS-B test pair, for the report's scatter plot. */
    public record Point(double cosine, double gold) {}

    public record Outcome(List<StsResult> sts, List<TransferResult> transfer, List<Point> stsbScatter, int sentences) {}

    private final List<StsTask> sts = new ArrayList<>();
    private final List<TransferTask> transfer = new ArrayList<>();

    private EvalRun() {}

    /** Loads the named tasks (SentEval spellings) from SentEval's {@code data/downstream} folder. */
    public static EvalRun load(Path data, List<String> names) {
        EvalRun r = new EvalRun();
        for (String n : names) {
            if (TransferData.isTransferTask(n)) {
                r.transfer.add(TransferData.load(data, n));
            } else {
                r.sts.add(StsData.load(data, n));
            }
        }
        return r;
    }

    /** The same run restricted to {@code names} (tasks already loaded; the order stays this run's). */
    public EvalRun only(java.util.Collection<String> names) {
        EvalRun r = new EvalRun();
        sts.stream().filter(t -> names.contains(t.name())).forEach(r.sts::add);
        transfer.stream().filter(t -> names.contains(t.name())).forEach(r.transfer::add);
        return r;
    }

    /** The tasks of this run, STS first, as they are embedded and reported. */
    public List<String> taskNames() {
        List<String> out = new ArrayList<>();
        sts.forEach(t -> out.add(t.name()));
        transfer.forEach(t -> out.add(t.name()));
        return out;
    }

    /** Distinct sentences per task, each sentence listed only under the first task that has it. */
    public Map<String, List<String>> sentencesByTask() {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (StsTask t : sts) {
            out.put(t.name(), fresh(StsEvaluator.sentences(List.of(t)), seen));
        }
        for (TransferTask t : transfer) {
            out.put(t.name(), fresh(t.sentences(), seen));
        }
        return out;
    }

    private static List<String> fresh(List<String> xs, LinkedHashSet<String> seen) {
        List<String> out = new ArrayList<>();
        for (String s : xs) {
            if (seen.add(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The transfer tasks this run scores (empty for an STS-only run). */
    public List<TransferTask> transferTasks() {
        return List.copyOf(transfer);
    }

    public Outcome run(Embedder embedder, int kfold) {
        return run(embedder, kfold, ScoringProgress.NONE);
    }

    public Outcome run(Embedder embedder, int kfold, ScoringProgress progress) {
        return run(embedder, kfold, progress, TransferEvaluator.Classifier.SENTEVAL);
    }

    /** @param classifier the transfer tasks' logistic regression: the reference SentEval's (default) or LIBLINEAR's exact optimum */
    public Outcome run(Embedder embedder, int kfold, ScoringProgress progress, TransferEvaluator.Classifier classifier) {
        Map<String, float[]> vectors = new HashMap<>();
        int total = 0;
        for (Map.Entry<String, List<String>> e : sentencesByTask().entrySet()) {
            vectors.putAll(embedder.embed(e.getKey(), e.getValue()));
            total += e.getValue().size();
        }
        List<StsResult> stsOut = new ArrayList<>();
        List<Point> scatter = new ArrayList<>();
        for (StsTask t : sts) {
            stsOut.add(StsEvaluator.score(t, vectors));
            if (t.name().equals("STSBenchmark")) {
                for (StsPair p : t.subsets().get(0).pairs()) {
                    scatter.add(new Point(Similarity.cosine(vectors.get(p.a()), vectors.get(p.b())), p.gold()));
                }
            }
        }
        List<TransferResult> trOut = new ArrayList<>();
        for (TransferTask t : transfer) {
            long t0 = System.nanoTime();
            Runnable tick = progress.begin(t.name(), TransferEvaluator.plannedFits(kfold, t));
            TransferResult r = new TransferEvaluator(kfold, tick, classifier).evaluate(t, vectors);
            progress.end(t.name(), r, (System.nanoTime() - t0) / 1e9);
            trOut.add(r);
        }
        return new Outcome(stsOut, trOut, scatter, total);
    }
}
