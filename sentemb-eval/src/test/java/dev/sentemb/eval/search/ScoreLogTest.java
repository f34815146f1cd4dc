package dev.sentemb.eval.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.eval.run.ResumedWork;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreLogTest {
    @Test
    void readsOldAndNewLinesSkipsATornOneAndCountsWhatIsReused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.tsv");
        // an older log line (no seconds), then a line torn mid-number by an interruption
        Files.writeString(f, "50\t77.790093\tA_\"*sent_0*\"\n150\t7", StandardCharsets.UTF_8);
        ScoreLog log = ScoreLog.open(f);
        assertEquals(1, log.size());
        assertNull(log.resumed());
        Files.writeString(f, "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        log.scored(new DemoSearch.Ranked("B\t\"*sent_0*\"", 80.5, 150), 12.25); // a tab inside a template survives
        log.scored(new DemoSearch.Ranked("C_*sent_0*", 60, 150), 3);

        ScoreLog again = ScoreLog.open(f);
        assertEquals(3, again.size());
        assertEquals(77.790093, again.get(50, "A_\"*sent_0*\""), 0);
        assertEquals(80.5, again.get(150, "B\t\"*sent_0*\""), 0);
        assertTrue(Double.isNaN(again.get(150, "A_\"*sent_0*\"")), "scored on 50 pairs only");
        assertEquals(new ResumedWork(2, 12.25, 1), again.resumed(), "reused: one timed, one from the older log");
    }
}
