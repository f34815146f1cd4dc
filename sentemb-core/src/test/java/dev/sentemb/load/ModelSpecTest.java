package dev.sentemb.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sentemb.embed.Encoder;
import dev.sentemb.kernel.Kernels;
import dev.sentemb.kernel.Parallel;
import dev.sentemb.testing.TestModels;
import dev.sentemb.weights.GgufFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model spec travels (serialized, as to a Spark executor) and opens the same model there. */
class ModelSpecTest {
    private static final Path HF = Path.of("src", "test", "resources", "hf").toAbsolutePath();

    @Test
    void aSerializedSpecOpensTheSameModel() throws Exception {
        ModelSpec spec = ModelSpec.of(HF.resolve("llama").toString()).withAdapter(HF.resolve("llama-lora").toString(), false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        ModelSpec back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (ModelSpec) in.readObject();
        }
        assertEquals(spec, back);
        List<int[]> ids = List.of(new int[] {1, 5, 9, 22}, new int[] {1, 7});
        try (Parallel pool = new Parallel(2); Kernels kernels = Kernels.vector(pool);
             LoadedModel a = LoadedModel.open(spec, kernels, ModelStore.standard(), null);
             LoadedModel b = LoadedModel.open(back, kernels, ModelStore.standard(), null)) {
            assertArrayEquals(a.model().forward(ids).lastToken(0), b.model().forward(ids).lastToken(0));
            assertEquals(HF.resolve("llama"), b.path());
        }
    }

    @Test
    void aSpecNeedsAModel() {
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.of(" "));
    }

    @Test
    void theEncoderApiDoesNotExposeTheGgufReader() {
        for (Method m : Encoder.class.getMethods()) {
            List<Class<?>> types = new java.util.ArrayList<>(Arrays.asList(m.getParameterTypes()));
            types.add(m.getReturnType());
            for (Class<?> t : types) {
                assertFalse(t.getPackageName().equals(GgufFile.class.getPackageName()), m + " exposes " + t);
            }
        }
    }
}
