package dev.sentemb.eval.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.eval.sts.StsPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSearchTest {
    @Test
    void scheduleEndsOnAllPairs() {
        var s = DemoSearch.schedule(300, 1500, 50, 3);
        assertEquals(new DemoSearch.Round(300, 50), s.get(0));
        assertEquals(new DemoSearch.Round(100, 150), s.get(1));
        assertEquals(1500, s.get(s.size() - 1).pairs());
        assertEquals(List.of(new DemoSearch.Round(7, 1500)), DemoSearch.schedule(7, 1500, 1500, 3));
    }

    @Test
    void findsTheBestAndResumes() {
        List<StsPair> dev = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            dev.add(new StsPair("a" + i, "b" + i, i % 5));
        }
        List<String> cands = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            cands.add("t" + i);
        }
        // True quality of t<i> is i; a small subset adds noise that shrinks as the subset grows.
        DemoSearch.Scorer scorer = (t, pairs) -> Integer.parseInt(t.substring(1)) + 3.0 * Math.sin(t.hashCode() + pairs.size()) * 30 / Math.sqrt(pairs.size());
        Map<String, Double> log = new HashMap<>();
        var ranking = DemoSearch.run(cands, dev, 30, 3, 1, scorer, (p, t) -> Double.NaN, (r, seconds) -> log.put(r.pairs() + "\t" + r.template(), r.spearman()));
        assertEquals(40, ranking.size());
        assertEquals(900, ranking.get(0).pairs());
        assertTrue(Integer.parseInt(ranking.get(0).template().substring(1)) >= 37, ranking.get(0).toString());
        int[] calls = {0};
        var again = DemoSearch.run(cands, dev, 30, 3, 1, (t, p) -> {
            calls[0]++;
            return 0;
        }, (p, t) -> log.getOrDefault(p + "\t" + t, Double.NaN), (r, seconds) -> {});
        assertEquals(0, calls[0], "a finished search resumes without scoring again");
        assertEquals(ranking, again);
    }

    @Test
    void storesTheWinner(@TempDir java.nio.file.Path home) throws Exception {
        DemoStore.save(home, "smollm2-135m", List.of(new DemoSearch.Ranked("X_*sent_0*", 80, 1500)), 1, null);
        assertEquals("X_*sent_0*", DemoStore.best(home, "smollm2-135m").orElseThrow());
        assertTrue(DemoStore.best(home, "other").isEmpty());
    }
}
