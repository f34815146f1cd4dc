package dev.sentemb.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sentemb.embed.Encoder;
import dev.sentemb.testing.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The application owns the compute pool: models borrow it, share it, and closing one leaves it working. */
class SharedPoolTest {

    private static long workers(Parallel pool) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(pool.name() + "-")).count();
    }

    @Test
    void twoModelsInOneJvmShareOnePool() {
        List<String> s = List.of("A man is playing a guitar.", "Two dogs run on the beach.", "The stock market fell.");
        try (Parallel pool = new Parallel(2)) {
            float[][] gemmaAlone;
            try (Encoder own = Encoder.builder(TestModels.require("gemma3-270m").toString()).threads(2).build()) {
                gemmaAlone = own.embed(s);
            }
            try (Encoder smol = Encoder.builder(TestModels.require("smollm2-135m").toString()).pool(pool).build()) {
                try (Encoder gemma = Encoder.builder(TestModels.require("gemma3-270m").toString()).pool(pool).build()) {
                    assertSame(pool, smol.pool());
                    assertSame(pool, gemma.pool());
                    smol.embed(s);
                    assertArrayEquals(gemmaAlone[1], gemma.embed(s)[1], "the same vectors on a shared pool");
                    assertEquals(1, workers(pool), "one worker thread beside the caller, however many models use the pool");
                }
                // closing a model releases its weights only: the pool still serves the other model
                assertEquals(3, smol.embed(s).length);
                assertEquals(1, workers(pool));
            }
        }
    }

    @Test
    void theDefaultPoolIsOnePerJvm() {
        try (Encoder a = Encoder.load(TestModels.require("smollm2-135m").toString());
             Encoder b = Encoder.load(TestModels.require("smollm2-135m").toString())) {
            assertSame(Parallel.common(), a.pool());
            assertSame(a.pool(), b.pool());
            assertEquals(Runtime.getRuntime().availableProcessors(), a.threads());
        }
    }
}
