package dev.sentemb.spark;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;

/**
 * The job's progress as plain lines: one when a stage starts and one when it ends, and while a stage runs a
 * line every {@code intervalMillis} with its finished tasks and the rows embedded so far (from the rows
 * accumulator, which counts a retried task's rows again: progress only, never the summary).
 */
final class EmbedProgress extends SparkListener {
    private final PrintStream out;
    private final LongAccumulator rows;
    private final long intervalMillis;
    private final long started = System.nanoTime();
    private final Map<Integer, AtomicInteger> finished = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> total = new ConcurrentHashMap<>();
    private volatile long lastLine = System.currentTimeMillis();

    EmbedProgress(PrintStream out, LongAccumulator rows, long intervalMillis) {
        this.out = out;
        this.rows = rows;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        int id = e.stageInfo().stageId();
        total.put(id, e.stageInfo().numTasks());
        finished.put(id, new AtomicInteger());
        out.printf("spark-embed: stage %d started (%s): %d tasks%n", id, shortName(e.stageInfo().name()), e.stageInfo().numTasks());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        AtomicInteger done = finished.get(e.stageId());
        int n = done == null ? 0 : (e.taskInfo().successful() ? done.incrementAndGet() : done.get());
        long now = System.currentTimeMillis();
        if (now - lastLine >= intervalMillis) {
            lastLine = now;
            double secs = (System.nanoTime() - started) / 1e9;
            long r = rows.value();
            out.printf("spark-embed: stage %d: %d/%d tasks done, %,d rows embedded (%.1f rows/s)%n", e.stageId(), n,
                    total.getOrDefault(e.stageId(), 0), r, r / Math.max(secs, 1e-9));
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
        var info = e.stageInfo();
        long ms = info.completionTime().isDefined() && info.submissionTime().isDefined()
                ? (Long) info.completionTime().get() - (Long) info.submissionTime().get() : 0;
        String how = info.failureReason().isDefined() ? "failed (" + info.failureReason().get() + "); Spark retries it" : "done";
        out.printf("spark-embed: stage %d %s in %.1f s%n", info.stageId(), how, ms / 1000.0);
    }

    private static String shortName(String name) {
        int at = name.indexOf(" at ");
        return at > 0 ? name.substring(0, at) : name;
    }
}
