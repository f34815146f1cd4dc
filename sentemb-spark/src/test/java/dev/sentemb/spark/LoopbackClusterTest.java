package dev.sentemb.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.load.ModelSpec;
import dev.sentemb.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkEnv;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster on loopback: Spark's standalone master and two workers (local-cluster mode, from the Spark jars
 * in target/spark-home; no Spark download), each executor a JVM of its own. One executor is killed (SIGKILL)
 * while the job runs; Spark retries its task elsewhere and the output is still complete and identical.
 */
class LoopbackClusterTest {
    @TempDir
    Path dir;

    @Test
    void anExecutorKilledMidJobLosesNoRowAndDuplicatesNone() throws Exception {
        String model = TestModels.require("smollm2-135m").toString();
        List<String> sentences = Corpus.sample(Corpus.stsbAndSick(), 100);
        Path in = Files.write(dir.resolve("corpus.txt"), sentences, StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        SparkEmbedMain.quietSparkLogs();
        SparkSession spark = SparkSession.builder()
                .master("local-cluster[2,1,1536]")
                .appName("sentemb loopback cluster test")
                .config("spark.executor.memory", "1g")
                .config("spark.executor.cores", "1")
                .config("spark.executor.extraClassPath", classPath)
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        AtomicReference<String> killed = new AtomicReference<>();
        AtomicInteger lostTasks = new AtomicInteger();
        AtomicLong removed = new AtomicLong();
        try {
            Map<String, Long> pids = executorPids(spark);
            assertEquals(2, pids.size(), "two executors, each a JVM of its own: " + pids);
            AtomicInteger embedStage = new AtomicInteger(-1);
            AtomicInteger succeeded = new AtomicInteger();
            var killer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            spark.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onStageSubmitted(SparkListenerStageSubmitted e) {
                    // the embedding stage: 8 tasks, one per id range (the stages before it sample the ids)
                    if (e.stageInfo().name().startsWith(SparkEmbedJob.EMBED_STAGE) && e.stageInfo().numTasks() == 8) {
                        embedStage.compareAndSet(-1, e.stageInfo().stageId());
                    }
                }

                @Override
                public void onTaskStart(SparkListenerTaskStart e) {
                    // Once a range is done, the next task to start has its executor killed outright 1.5 s in: mid-task.
                    if (e.stageId() == embedStage.get() && succeeded.get() > 0 && killed.get() == null) {
                        Long pid = pids.get(e.taskInfo().executorId());
                        if (pid != null && killed.compareAndSet(null, "executor " + e.taskInfo().executorId() + " (pid " + pid + ")")) {
                            killer.schedule(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly), 1500,
                                    java.util.concurrent.TimeUnit.MILLISECONDS);
                        }
                    }
                }

                @Override
                public void onTaskEnd(SparkListenerTaskEnd e) {
                    if (e.taskInfo().successful() && e.stageId() == embedStage.get()) {
                        succeeded.incrementAndGet();
                    }
                    if (e.reason() instanceof ExecutorLostFailure) {
                        lostTasks.incrementAndGet();
                    }
                }

                @Override
                public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
                    removed.incrementAndGet();
                }
            });
            var config = new SparkEmbedJob.Config(in.toString(), InputFormat.TEXT, out.toString(), OutputFormat.PARQUET, "text", null,
                    ModelSpec.of(model), SentembSpark.Options.defaults(), 8, false);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            SparkEmbedJob.Summary s = SparkEmbedJob.run(spark, config, new PrintStream(log, true, StandardCharsets.UTF_8), 10_000);
            killer.shutdown();
            String text = log.toString(StandardCharsets.UTF_8);
            assertTrue(killed.get() != null, "an executor was killed during the job: " + text);
            assertTrue(removed.get() >= 1, "Spark saw the executor go");
            assertTrue(lostTasks.get() >= 1, "the killed executor's task failed and was retried: " + text);
            assertEquals(sentences.size(), s.rowsIn());
            assertEquals(sentences.size(), s.rowsOut(), s.toString());
            assertEquals(0, s.errors(), s.toString());
            System.out.println("loopback cluster: killed " + killed.get() + "; " + s);

            List<Row> rows = spark.read().parquet(out.toString()).orderBy("id").collectAsList();
            List<EmbedResult> want;
            try (Encoder e = Encoder.builder(ModelSpec.of(model)).build()) {
                want = e.embedEach(sentences, null);
            }
            assertEquals(sentences.size(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                assertEquals(i, r.getLong(r.fieldIndex("id")), "each id exactly once");
                List<Float> v = r.getList(r.fieldIndex("embedding"));
                float[] f = new float[v.size()];
                for (int j = 0; j < f.length; j++) {
                    f[j] = v.get(j);
                }
                assertArrayEquals(want.get(i).vector(), f, "row " + i + ": the library's vector, computed in another JVM");
            }
        } finally {
            spark.stop();
        }
    }

    /** Each executor's id and process id, as the executors themselves report them. */
    private static Map<String, Long> executorPids(SparkSession spark) {
        Map<String, Long> pids = new TreeMap<>();
        for (int attempt = 0; attempt < 60 && pids.size() < 2; attempt++) {
            List<String> seen = spark.range(0, 64, 1, 16).javaRDD()
                    .mapPartitions(it -> List.of(SparkEnv.get().executorId() + " " + ProcessHandle.current().pid()).iterator())
                    .collect();
            for (String s : seen) {
                String[] f = s.split(" ");
                pids.put(f[0], Long.parseLong(f[1]));
            }
        }
        return pids;
    }
}
