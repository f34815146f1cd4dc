package dev.sentemb.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.strategy.EnsembleStrategy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Options.withTemplates: checked on the driver, carried to executors by Java serialization, replaced by a named strategy. */
class OptionsTemplatesTest {
    @Test
    void templatesAreCheckedCarriedAndReplaced() throws Exception {
        SentembSpark.Options o = SentembSpark.Options.defaults().withStrategy("echo").withTemplates(List.of("eol", "icl:smoking"));
        assertNull(o.strategy(), "the templates replace the strategy");
        EnsembleStrategy e = (EnsembleStrategy) o.embeddingStrategy();
        assertEquals(2, e.parts().size());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            SentembSpark.Options back = (SentembSpark.Options) in.readObject();
            assertEquals(o, back);
            assertEquals(e.prompt("x"), back.embeddingStrategy().prompt("x"), "the executor's ensemble is the driver's");
        }
        assertNull(o.withStrategy("metaeol").templates(), "a named strategy replaces the templates");

        String[][] bad = {{"eol"}, {"eol", "no slot here"}, {"eol", null}};
        String[] why = {"needs at least two, not 1", "templates[1]: template 'no slot here' is neither", "templates[1] is null"};
        for (int i = 0; i < bad.length; i++) {
            List<String> specs = Arrays.asList(bad[i]);
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> SentembSpark.Options.defaults().withTemplates(specs));
            assertTrue(ex.getMessage().contains(why[i]), ex.getMessage());
        }
    }
}
