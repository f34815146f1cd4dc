package dev.sentemb.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.eval.transfer.TransferEvaluator;
import dev.sentemb.eval.sts.StsData;
import dev.sentemb.eval.sts.StsResult;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The oracle fixtures: the reference's own SentEval (tools/oracle/senteval_reference.py) scored the
 * hashed-word embeddings of every STS sentence, and of the CR, MRPC and TREC sentences; sentemb must
 * agree within ±0.01 on each STS task's reported ("all" / test) Spearman and Pearson and on every
 * sub-set's Pearson; on the transfer tasks, sentemb's {@code senteval} classifier (the reference's own
 * early-stopped Adam, with its random draws) must give the reference's dev and test accuracies to the
 * reported 0.01, and {@code liblinear} (the exact optimum at the same L2 strength) within ±0.5.
 */
class ReferenceSentEvalTest {
    @Test
    void stsMatchesReferenceSentEval() throws Exception {
        Path data = ReferenceData.dir();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("STS")), "SentEval data at " + data);
        JsonNode ref = reference("senteval_hash48_sts.json");
        List<String> tasks = new ArrayList<>(StsData.STS_TASKS);
        tasks.add("STSBenchmark-dev");
        EvalRun.Outcome out = scoreHash48(data, tasks);
        assertEquals(8, out.sts().size());
        int compared = 0;
        for (StsResult r : out.sts()) {
            JsonNode t = ref.get(r.task());
            assertEquals(t.get("spearman").asDouble(), r.spearman(), 0.01, r.task() + " spearman");
            assertEquals(t.get("pearson").asDouble(), r.pearson(), 0.01, r.task() + " pearson");
            compared++;
            if (t.has("subsets")) {
                for (var e : r.subsets().entrySet()) {
                    JsonNode s = t.get("subsets").get(e.getKey());
                    assertEquals(s.get("n").asInt(), e.getValue().pairs(), r.task() + "/" + e.getKey() + " pairs");
                    // Sub-sets with identical sentence pairs (SMTeuroparl) differ a little: SentEval's float32 BLAS
                    // cosine puts those exact 1.0s at 1±1 ulp, which breaks their ties; the reported "all" agrees.
                    assertEquals(s.get("spearman").asDouble(), e.getValue().spearman(), 0.1, r.task() + "/" + e.getKey());
                    assertEquals(s.get("pearson").asDouble(), e.getValue().pearson(), 0.01, r.task() + "/" + e.getKey());
                }
            } else {
                assertEquals(t.get("n").asInt(), r.pairs(), r.task() + " pairs");
            }
        }
        assertTrue(out.stsbScatter().size() == 1379);
        assertEquals(8, compared);
    }

    @Test
    void transferAccuraciesAreTheReferenceSentEvals() throws Exception {
        Path data = ReferenceData.dir();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("CR")), "SentEval data at " + data);
        JsonNode ref = reference("senteval_hash48_transfer.json");
        List<String> tasks = new ArrayList<>();
        ref.fieldNames().forEachRemaining(tasks::add);
        for (TransferEvaluator.Classifier clf : TransferEvaluator.Classifier.values()) {
            EvalRun.Outcome out = scoreHash48(data, tasks, clf);
            assertEquals(tasks.size(), out.transfer().size());
            for (var r : out.transfer()) {
                JsonNode t = ref.get(r.task());
                System.out.printf("%s hash48 %s: test acc %.2f (reference %.2f), dev %.2f (reference %.2f)%n", r.task(), clf, r.acc(),
                        t.get("acc").asDouble(), r.devacc(), t.get("devacc").asDouble());
                assertEquals(t.get("ntest").asInt(), r.ntest(), r.task() + " test size");
                if (clf == TransferEvaluator.Classifier.SENTEVAL) {
                    assertEquals(t.get("acc").asDouble(), r.acc(), 0.005, r.task() + " test accuracy");
                    assertEquals(t.get("devacc").asDouble(), r.devacc(), 0.005, r.task() + " dev accuracy");
                    if (t.has("f1")) {
                        assertEquals(t.get("f1").asDouble(), r.f1(), 0.005, r.task() + " F1");
                    }
                } else {
                    assertEquals(t.get("acc").asDouble(), r.acc(), 0.5, r.task() + " test accuracy (reference dev " + t.get("devacc") + ", ours " + r.devacc() + ")");
                }
            }
        }
    }

    /** The "results" object of a reference fixture under /oracle/. */
    private JsonNode reference(String name) throws java.io.IOException {
        try (InputStream in = getClass().getResourceAsStream("/oracle/" + name)) {
            return new ObjectMapper().readTree(in).get("results");
        }
    }

    /** sentemb's protocol on the 48-dimensional hashed-word embeddings the fixtures were made from. */
    private static EvalRun.Outcome scoreHash48(Path data, List<String> tasks) {
        return scoreHash48(data, tasks, TransferEvaluator.Classifier.SENTEVAL);
    }

    private static EvalRun.Outcome scoreHash48(Path data, List<String> tasks, TransferEvaluator.Classifier clf) {
        return EvalRun.load(data, tasks).run((task, sentences) -> {
            Map<String, float[]> m = new HashMap<>();
            for (String s : sentences) {
                m.put(s, HashEmbedding.of(s, 48));
            }
            return m;
        }, 10, EvalRun.ScoringProgress.NONE, clf);
    }
}
