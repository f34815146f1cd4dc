package dev.sentemb.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StrategiesTest {
    /** The help texts list {@link Strategies#NAMES}: it must name every registered strategy, in order. */
    @Test
    void namesListTheRegistry() {
        assertEquals(Strategies.all().stream().map(Strategies.Named::name).collect(Collectors.joining(", ")), Strategies.NAMES);
    }
}
