package dev.sentemb.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.SentembException;
import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.model.PassOptions;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.prompt.TemplateFile;
import dev.sentemb.testing.HfFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file of templates as one embedding: each sentence's vectors under every template, averaged (as MetaEOL averages). */
class TemplateEnsembleTest {
    private static final List<String> SENTENCES = List.of("A man is playing a guitar.", "Two dogs run on the beach?",
            "He said \"no\" twice", "A woman slices an onion.", "A man is playing a guitar.");

    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        Path f = dir.resolve("templates.txt");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theEnsembleIsTheMeanOfEachTemplatesOwnEmbedding() throws Exception {
        Path f = file("# the plain prompt, a demonstration and a literal\neol\n\nicl:smoking\n"
                + "  In_one_word_,_the_sentence_\"*sent_0*\"_is_about:\"  \n");
        List<PromptTemplate> ts = TemplateFile.resolve(f);
        assertEquals(3, ts.size());
        assertEquals("In_one_word_,_the_sentence_\"*sent_0*\"_is_about:\"", TemplateFile.read(f).get(2).text(), "the line, stripped");
        assertEquals(5, TemplateFile.read(f).get(2).number(), "its line number");
        for (Pooling pooling : Pooling.values()) {
            for (int layer : new int[] {PassOptions.FINAL_LAYER, -2}) {
                EnsembleStrategy ens = EnsembleStrategy.ofTemplates("Templates of templates.txt", ts, pooling, layer);
                try (Encoder enc = Encoder.builder(HfFixture.dir("llama").toString()).strategy(ens).build()) {
                    float[][] got = enc.embed(SENTENCES);
                    float[][] sum = new float[SENTENCES.size()][];
                    for (PromptTemplate t : ts) {
                        try (Encoder one = enc.withStrategy(new PromptEolStrategy(t, pooling, layer))) {
                            float[][] v = one.embed(SENTENCES);
                            for (int i = 0; i < v.length; i++) {
                                if (sum[i] == null) {
                                    sum[i] = new float[v[i].length];
                                }
                                for (int d = 0; d < v[i].length; d++) {
                                    sum[i][d] += v[i][d];
                                }
                            }
                        }
                    }
                    for (int i = 0; i < SENTENCES.size(); i++) {
                        float[] mean = sum[i].clone();
                        for (int d = 0; d < mean.length; d++) {
                            mean[d] /= ts.size();
                        }
                        assertArrayEquals(mean, got[i], 0f, pooling + " @" + layer + ": sentence " + i + " is the mean of its three embeddings");
                    }
                    assertArrayEquals(got[1], enc.embed(SENTENCES.get(1)), 0f, "batch-invariant: alone as in the batch");
                    assertTrue(enc.prompt("x").contains("A man is smoking") && enc.prompt("x").lines().count() == 3,
                            "its prompt (the eval cache's key) names every template: " + enc.prompt("x"));
                }
            }
        }
    }

    @Test
    void aBadSentenceFailsAloneAndTheOthersAreKept() throws Exception {
        EnsembleStrategy ens = EnsembleStrategy.ofTemplates("t", TemplateFile.resolve(file("eol\nicl:smoking\n")), Pooling.LAST,
                PassOptions.FINAL_LAYER);
        try (Encoder enc = Encoder.builder(HfFixture.dir("llama").toString()).strategy(ens).build()) {
            String tooLong = "word ".repeat(400); // past the tiny checkpoint's 256-token context
            List<EmbedResult> r = enc.embedEach(List.of(SENTENCES.get(0), tooLong, SENTENCES.get(3)), null);
            assertTrue(r.get(0).isOk() && r.get(2).isOk());
            assertTrue(!r.get(1).isOk() && r.get(1).error().contains("limit of 256"), r.get(1).error());
            assertArrayEquals(enc.embed(SENTENCES.get(3)), r.get(2).vector(), 0f);
        }
    }

    @Test
    void badFilesAreRefusedNamingTheFileAndLine() throws Exception {
        Path f = file("eol\n\nThis_sentence_means:\"\n");
        SentembException e = assertThrows(SentembException.class, () -> TemplateFile.resolve(f));
        assertTrue(e.getMessage().startsWith(f + ":3: template 'This_sentence_means:\"' is neither"), e.getMessage());
        e = assertThrows(SentembException.class, () -> TemplateFile.resolve(file("icl:nobody\n")));
        assertTrue(e.getMessage().contains("templates.txt:1: unknown demonstration 'icl:nobody'"), e.getMessage());
        e = assertThrows(SentembException.class, () -> TemplateFile.read(dir.resolve("absent.txt")));
        assertEquals(dir.resolve("absent.txt") + ": template file not found", e.getMessage());
        Path binary = dir.resolve("binary.txt");
        Files.write(binary, new byte[] {'e', 'o', 'l', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        e = assertThrows(SentembException.class, () -> TemplateFile.read(binary));
        assertEquals(binary + ": not UTF-8 text", e.getMessage());
        Path huge = dir.resolve("huge.txt");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            raf.setLength((16L << 20) + 1); // sparse: a wrong path to a big file is refused before it is read
        }
        e = assertThrows(SentembException.class, () -> TemplateFile.read(huge));
        assertEquals(huge + ": 16777217 bytes, more than a template file's limit of 16777216 bytes", e.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> EnsembleStrategy.ofTemplates("one.txt", TemplateFile.resolve(file("# only one\neol\n")), Pooling.LAST, PassOptions.FINAL_LAYER));
        assertEquals("an ensemble of templates needs at least two; one.txt has 1", one.getMessage());
    }
}
