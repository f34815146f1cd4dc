package dev.sentemb.spark;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;

/**
 * The job's progress as plain lines: one when a stage starts and one when it ends, and while a stage runs a
 * line every {@code intervalMillis} with its finished tasks and the rows embedded so far. Finished tasks'
 * rows come from the accumulator; running tasks' from the executors' heartbeats, which carry each running
 * task's accumulator value (a retried task's rows count again: progress only, never the summary).
 */
final class EmbedProgress extends SparkListener implements AutoCloseable {
    private final PrintStream out;
    private final LongAccumulator rows;
    private final long started = System.nanoTime();
    private final Map<Integer, AtomicInteger> finished = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> running = new ConcurrentHashMap<>(); // stage id -> its task count
    private final Map<Long, Long> partial = new ConcurrentHashMap<>(); // running task id -> its rows so far
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sentemb-spark-progress");
        t.setDaemon(true);
        return t;
    });

    EmbedProgress(PrintStream out, LongAccumulator rows, long intervalMillis) {
        this.out = out;
        this.rows = rows;
        timer.scheduleAtFixedRate(this::line, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        int id = e.stageInfo().stageId();
        finished.put(id, new AtomicInteger());
        running.put(id, e.stageInfo().numTasks());
        out.printf("spark-embed: stage %d started (%s): %d tasks%n", id, shortName(e.stageInfo().name()), e.stageInfo().numTasks());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        partial.remove(e.taskInfo().taskId()); // its final count is in the accumulator now, or it failed
        AtomicInteger done = finished.get(e.stageId());
        if (done != null && e.taskInfo().successful()) {
            done.incrementAndGet();
        }
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
        var updates = scala.jdk.javaapi.CollectionConverters.asJava(e.accumUpdates());
        for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> u : updates) {
            long task = (Long) u._1();
            for (AccumulableInfo a : scala.jdk.javaapi.CollectionConverters.asJava(u._4())) {
                if (a.id() == rows.id() && a.update().isDefined()) {
                    partial.put(task, ((Number) a.update().get()).longValue());
                }
            }
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
        var info = e.stageInfo();
        running.remove(info.stageId());
        long ms = info.completionTime().isDefined() && info.submissionTime().isDefined()
                ? (Long) info.completionTime().get() - (Long) info.submissionTime().get() : 0;
        String how = info.failureReason().isDefined() ? "failed (" + info.failureReason().get() + "); Spark retries it" : "done";
        out.printf("spark-embed: stage %d %s in %.1f s%n", info.stageId(), how, ms / 1000.0);
    }

    private void line() {
        if (running.isEmpty()) {
            return;
        }
        double secs = (System.nanoTime() - started) / 1e9;
        long r = rows.value() + partial.values().stream().mapToLong(Long::longValue).sum();
        running.forEach((stage, tasks) -> out.printf("spark-embed: stage %d: %d/%d tasks done, %,d rows embedded (%.1f rows/s)%n",
                stage, finished.getOrDefault(stage, new AtomicInteger()).get(), tasks, r, r / Math.max(secs, 1e-9)));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private static String shortName(String name) {
        int at = name.indexOf(" at ");
        return at > 0 ? name.substring(0, at) : name;
    }
}
