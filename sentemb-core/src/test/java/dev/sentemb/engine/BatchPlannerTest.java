package dev.sentemb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sentemb.engine.BatchPlanner.Slice;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

    static List<int[]> lengths(int... lens) {
        return java.util.Arrays.stream(lens).mapToObj(int[]::new).toList();
    }

    @Test
    void packsGreedilyInOrderWithinTheBudget() {
        assertEquals(List.of(new Slice(0, 2, 9), new Slice(2, 4, 9), new Slice(4, 5, 7)),
                BatchPlanner.plan(lengths(4, 5, 6, 3, 7), 10));
    }

    @Test
    void anOversizedSequenceGetsItsOwnBatch() {
        assertEquals(List.of(new Slice(0, 1, 2), new Slice(1, 2, 50), new Slice(2, 3, 3)),
                BatchPlanner.plan(lengths(2, 50, 3), 10));
    }

    @Test
    void emptyInputAndBadBudget() {
        assertEquals(List.of(), BatchPlanner.plan(List.of(), 10));
        assertThrows(IllegalArgumentException.class, () -> BatchPlanner.plan(lengths(1), 0));
    }
}
