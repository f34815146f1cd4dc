package dev.sentemb.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorrelationTest {
    @Test
    void tiesAreRankedAsAveragesLikeScipy() {
        double[] x = {0.1, 0.4, 0.4, 0.9, 0.2, 0.7, 0.7, 0.7};
        double[] y = {1, 2, 3, 3, 0.5, 4, 2, 5};
        // scipy.stats.spearmanr / pearsonr on the same vectors
        assertEquals(0.7081974910453576, Correlation.spearman(x, y), 1e-12);
        assertEquals(0.7128999009754632, Correlation.pearson(x, y), 1e-12);
    }

    @Test
    void sentEvalSplitsOnPythonWhitespace() {
        assertEquals(List.of("a", "b", "c"), SentEvalText.split(" a\u00a0b\u3000\tc\u0085"));
        assertEquals("a b", SentEvalText.join("a \u2009 b"));
        assertEquals("x  y", SentEvalText.strip("\u001f x  y \n"));
    }
}
