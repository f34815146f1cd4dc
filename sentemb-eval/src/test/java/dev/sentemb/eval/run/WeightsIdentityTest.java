package dev.sentemb.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sentemb.load.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every change an adapter or quantization makes to the vectors is a different identity; a plain model has none. */
class WeightsIdentityTest {
    @TempDir
    Path dir;

    @Test
    void plainModelsKeepTheirKeysAndEachAdapterStateIsItsOwn() throws Exception {
        ModelSpec plain = ModelSpec.of("smollm2-135m");
        assertEquals("", WeightsIdentity.of(plain));
        assertEquals("", WeightsIdentity.tag(plain));
        Path adapter = dir.resolve("adapter");
        Files.createDirectories(adapter.resolve("checkpoint-1"));
        Files.writeString(adapter.resolve("adapter_config.json"), "{\"r\": 8}");
        Files.write(adapter.resolve("adapter_model.safetensors"), new byte[] {1, 2, 3});
        String merged = WeightsIdentity.tag(plain.withAdapter(adapter.toString(), true));
        String onTheFly = WeightsIdentity.tag(plain.withAdapter(adapter.toString(), false));
        String q8 = WeightsIdentity.tag(plain.withQuantizeQ8(true));
        assertEquals(4, Set.of("", merged, onTheFly, q8).size(), merged + " " + onTheFly + " " + q8);
        assertEquals(13, merged.length(), merged);
        Files.write(adapter.resolve("checkpoint-1/ignored.bin"), new byte[] {9}); // subdirectories are not the adapter
        assertEquals(merged, WeightsIdentity.tag(plain.withAdapter(adapter.toString(), true)));
        Files.write(adapter.resolve("adapter_model.safetensors"), new byte[] {1, 2, 4}); // retrained in place
        assertNotEquals(merged, WeightsIdentity.tag(plain.withAdapter(adapter.toString(), true)));
    }
}
