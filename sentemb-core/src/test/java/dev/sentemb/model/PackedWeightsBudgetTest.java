package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The automatic packing budget follows the JVM's direct-memory limit. */
class PackedWeightsBudgetTest {

    @Test
    void aQuarterOfTheDirectMemoryLimitAtMostOneGibibyte() {
        assertEquals(1L << 30, PackedWeights.autoBudget(24L << 30), "a large JVM: the ceiling");
        assertEquals(128L << 20, PackedWeights.autoBudget(512L << 20), "-Xmx512m: a quarter");
        assertEquals(0, PackedWeights.autoBudget(0));
        long limit = PackedWeights.directMemoryLimit();
        assertTrue(limit > 0 && limit <= Math.max(Runtime.getRuntime().maxMemory(), limit), "this JVM's limit " + limit);
    }
}
