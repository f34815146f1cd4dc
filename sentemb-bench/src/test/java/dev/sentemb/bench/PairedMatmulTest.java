package dev.sentemb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairedMatmulTest {
    @Test
    void pairsRunInAbbaOrderAndRatiosAreBlasOverOurs() {
        List<String> calls = new ArrayList<>();
        // OpenBLAS takes 300 ns a call; sentemb takes 100, 200, 300, ... so the ratios are 3, 1.5, 1, 0.75, 0.6
        long[] ours = {100, 200, 300, 400, 500};
        int[] n = {0};
        PairedMatmul.Result r = PairedMatmul.measure(() -> {
            calls.add("B");
            return 300;
        }, () -> {
            calls.add("S");
            return ours[n[0]++];
        }, 5, 0, 0);
        assertEquals(List.of("B", "S", "S", "B", "S", "B", "B", "S", "B", "S"), calls);
        assertEquals(1.0, r.quantile(0.5), 1e-12);
        assertEquals(0.75, r.quantile(0.25), 1e-12);
        assertEquals(1.5, r.quantile(0.75), 1e-12);
        assertEquals(0.6, r.atLeast(0.9), 1e-12);
        assertEquals(300, r.blasMedianNs(), 1e-12);
        assertEquals(300, r.sentembMedianNs(), 1e-12);
    }

    @Test
    void quantileInterpolatesBetweenRanks() {
        double[] v = {4, 1, 3, 2};
        assertEquals(1, PairedMatmul.quantile(v, 0), 1e-12);
        assertEquals(2.5, PairedMatmul.quantile(v, 0.5), 1e-12);
        assertEquals(4, PairedMatmul.quantile(v, 1), 1e-12);
        assertEquals(1.75, PairedMatmul.quantile(v, 0.25), 1e-12);
    }
}
