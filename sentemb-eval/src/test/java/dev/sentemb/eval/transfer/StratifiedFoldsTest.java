package dev.sentemb.eval.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StratifiedFoldsTest {
    /** tools/oracle/fold_fixtures.py: scikit-learn's StratifiedKFold(10, shuffle=True, random_state=1111), sample for sample. */
    @Test
    void foldsMatchScikitLearn() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/oracle/stratified_folds.json")) {
            cases = new ObjectMapper().readTree(in).get("cases");
        }
        int compared = 0;
        for (Map.Entry<String, JsonNode> c : cases.properties()) {
            int[] y = ints(c.getValue().get("labels"));
            int[] expected = ints(c.getValue().get("folds"));
            assertArrayEquals(expected, StratifiedFolds.testFolds(y, 10, 1111), c.getKey());
            compared++;
        }
        assertEquals(5, compared);
    }

    @Test
    void foldsAreStratifiedAndPartitionTheData() {
        int[] y = new int[103];
        for (int i = 0; i < y.length; i++) {
            y[i] = i < 30 ? 1 : 0;
        }
        var folds = StratifiedFolds.split(y, 10, 1111);
        boolean[] seen = new boolean[y.length];
        for (var f : folds) {
            assertTrue(f.test().length == 10 || f.test().length == 11);
            int pos = 0;
            for (int i : f.test()) {
                assertTrue(!seen[i]);
                seen[i] = true;
                pos += y[i];
            }
            assertEquals(3, pos);
            assertEquals(y.length, f.test().length + f.train().length);
        }
        assertEquals(StratifiedFolds.split(y, 10, 1111).get(3).test()[0], folds.get(3).test()[0], "fixed seed");
    }

    @Test
    void tooFewSamplesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> StratifiedFolds.split(new int[] {0, 1, 0}, 10, 1111));
        assertThrows(IllegalArgumentException.class, () -> StratifiedFolds.split(new int[] {0, 0, 0, 1, 1, 1}, 4, 1111));
        assertEquals(4, StratifiedFolds.split(new int[] {0, 0, 0, 0, 1, 1}, 4, 1111).size(), "one class smaller than k is allowed");
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
