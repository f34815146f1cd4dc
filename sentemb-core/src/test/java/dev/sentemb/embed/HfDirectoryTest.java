package dev.sentemb.embed;

import dev.sentemb.load.ModelStore;
import dev.sentemb.strategy.Pooling;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.prompt.Templates;
import dev.sentemb.testing.HfFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API on Hugging Face directories: a path, or a model id in the local HF cache. */
class HfDirectoryTest {
    @TempDir
    Path tmp;

    /** Every fixture prompt through Encoder (template rendering, tokenizer files, model) vs transformers. */
    @Test
    void encoderOnADirectoryGivesTransformersEmbeddings() {
        for (String name : List.of("opt", "opt-proj", "llama", "qwen2")) {
            HfFixture f = HfFixture.load(name);
            int plain = (int) f.prompts().stream().filter(p -> !p.contains("\"Smoking\".")).count();
            try (Encoder enc = Encoder.builder(f.dir().toString()).threads(2).build()) {
                float[][] v = enc.embed(f.texts().subList(0, plain));
                for (int i = 0; i < plain; i++) {
                    assertEquals(f.prompts().get(i), enc.prompt(f.texts().get(i)));
                    assertTrue(HfFixture.cosine(v[i], f.last()[i]) >= 0.99999, name + " sentence " + i);
                }
                assertEquals(f.last()[0].length, enc.dimension());
            }
        }
    }

    /**
     * OPT keeps no keys/values for a prefix (the model's default prefill recomputes it) but still gives
     * mean pooling the prefix's hidden-state sum: cached and uncached encoders agree bit for bit.
     */
    @Test
    void meanPoolingOnAModelThatRecomputesItsPrefix() {
        HfFixture f = HfFixture.load("opt");
        List<String> texts = f.texts();
        try (Encoder cached = Encoder.builder(f.dir().toString()).template("icl:smoking").pooling(Pooling.MEAN).threads(2).build();
                Encoder whole = Encoder.builder(f.dir().toString()).template("icl:smoking").pooling(Pooling.MEAN).prefixCache(false)
                        .threads(2).build()) {
            float[][] a = cached.embed(texts);
            float[][] b = whole.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(b[i], a[i], "sentence " + i);
            }
            // the prompts did go through the prefix path (counted as if the prefix were cached)
            assertTrue(cached.stats().tokensComputed() < whole.stats().tokensComputed(), cached.stats() + " vs " + whole.stats());
        }
    }

    @Test
    void adapterThroughTheBuilder() {
        HfFixture f = HfFixture.load("llama-lora");
        try (Encoder enc = Encoder.builder(HfFixture.dir("llama").toString()).adapter(f.dir()).mergeAdapter(false).threads(2).build()) {
            assertTrue(HfFixture.cosine(enc.embed(f.texts().get(0)), f.last()[0]) >= 0.99999);
        }
    }

    @Test
    void iclTemplatesForEveryOptSize() {
        for (String size : List.of("125m", "350m", "1.3b", "2.7b", "6.7b", "13b", "30b", "66b")) {
            assertTrue(Templates.resolve("icl:opt-" + size).render("x").contains("means in one word"), size);
        }
        assertTrue(Templates.resolve("icl:opt-1.3b").render("x").contains("Swiss"));
    }
}
