package dev.sentemb.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentemb.SentembException;
import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.prompt.PromptTemplate;
import dev.sentemb.prompt.Templates;
import dev.sentemb.testing.HfFixture;
import dev.sentemb.testing.OracleFixture;
import dev.sentemb.testing.TestModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Contrastive Prompting against the authors' method run in HF transformers (tools/oracle/cp_fixtures.py): both
 * prompts' ids, and the steered embeddings (cosine ≥ 0.9999), with and without the shared-prefix caches,
 * batch-invariant.
 */
class ContrastivePromptingOracleTest {
    @ParameterizedTest
    @CsvSource({"llama,plain,eol,", "llama,plain-1x0.25,eol,1x0.25@-1", "smollm2-135m,plain,eol,4x0.5@25", "smollm2-135m,ke,ke,",
        "smollm2-135m,plain-norm,eol,4xnorm@25"})
    void matchesTheAuthorsMethod(String model, String key, String template, String settings) throws Exception {
        String dir = "strategies/" + model;
        List<JsonNode> rows = OracleFixture.rows(dir, "cp-" + key + ".jsonl");
        float[][] want = OracleFixture.matrix(dir, "cp-" + key + ".last.npy");
        assertEquals(50, rows.size());
        String path = model.equals("llama") ? HfFixture.dir("llama").toString() : TestModels.require(model).toString();
        ContrastivePromptingStrategy cp = new ContrastivePromptingStrategy(Templates.resolve(template),
                PromptTemplate.of(ContrastivePromptingStrategy.IRRELEVANT),
                settings == null ? null : ContrastivePromptingStrategy.Settings.parse(settings));
        List<String> texts = rows.stream().map(r -> r.get("text").asText()).toList();
        float[][] first = null;
        for (boolean prefixCache : new boolean[] {true, false}) {
            try (Encoder enc = Encoder.builder(path).strategy(cp).prefixCache(prefixCache).build()) {
                ContrastivePromptingStrategy.Stages stages = (ContrastivePromptingStrategy.Stages) enc.strategy();
                float[][] got = enc.embed(texts);
                double worst = 1;
                for (int i = 0; i < rows.size(); i++) {
                    assertEquals(rows.get(i).get("prompt").asText(), enc.prompt(texts.get(i)));
                    assertArrayEquals(ids(rows.get(i).get("ids")), enc.promptIds(texts.get(i)), "the prompt's tokens");
                    assertEquals(rows.get(i).get("auxiliary_prompt").asText(), stages.auxiliary().prompt(texts.get(i)));
                    assertArrayEquals(ids(rows.get(i).get("auxiliary_ids")), stages.auxiliary().tokens(stages.auxiliary().prompt(texts.get(i)),
                            enc.tokenizer()), "the auxiliary prompt's tokens");
                    worst = Math.min(worst, HfFixture.cosine(got[i], want[i]));
                }
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(got[i], enc.embed(texts.get(i)), 0f, "batch-invariant: alone as in the batch");
                }
                if (first == null) {
                    first = got;
                } else {
                    for (int i = 0; i < got.length; i++) {
                        assertArrayEquals(first[i], got[i], 0f, "the shared prefixes change no bit");
                    }
                }
                System.out.printf("%s cp-%s (prefix cache %s, %s): worst cosine against the authors' method %.7f%n", model, key, prefixCache,
                        enc.strategy().describe(), worst);
                assertTrue(worst >= 0.9999, model + " cp-" + key + ": worst cosine " + worst);
            }
        }
    }

    private static int[] ids(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }

    @Test
    void settingsScaleWithDepthSteeringMattersAndAFailingSentenceFailsAlone() throws Exception {
        assertEquals(new ContrastivePromptingStrategy.Settings(4, 0.5f, 27), ContrastivePromptingStrategy.Settings.scaled(32, PromptTemplate.eol()),
                "the authors' Llama-2-7B setting");
        assertEquals(new ContrastivePromptingStrategy.Settings(6, 1f / 3, 27), ContrastivePromptingStrategy.Settings.scaled(32, Templates.resolve("pretcot")));
        assertEquals(new ContrastivePromptingStrategy.Settings(6, 1f / 3, -2), ContrastivePromptingStrategy.Settings.scaled(30, Templates.resolve("ke")));
        assertEquals(new ContrastivePromptingStrategy.Settings(4, 0.5f, -1), ContrastivePromptingStrategy.Settings.scaled(30, PromptTemplate.eol()),
                "no early exit but on 32 blocks");
        assertTrue(ContrastivePromptingStrategy.Settings.parse("4xnorm@25").keepsNorm());
        assertEquals("4xnorm@25", ContrastivePromptingStrategy.Settings.parse("4xnorm@25").toString());
        assertThrows(SentembException.class, () -> ContrastivePromptingStrategy.Settings.parse("4xNaN@25"));
        assertEquals(new ContrastivePromptingStrategy.Settings(6, 0.25f, -2), ContrastivePromptingStrategy.Settings.parse("6x0.25@-2"));
        assertTrue(assertThrows(SentembException.class, () -> ContrastivePromptingStrategy.Settings.parse("6@2")).getMessage()
                .contains("expected LAYERxCOEFFICIENT@OUTPUT"));
        String s = "a turtle is swimming in water .";
        try (Encoder enc = Encoder.builder(HfFixture.dir("llama").toString()).strategy(ContrastivePromptingStrategy.of(PromptTemplate.eol()))
                .maxPromptTokens(120).build();
             Encoder plain = enc.withStrategy(PromptEolStrategy.of(PromptTemplate.eol()))) {
            assertFalse(Arrays.equals(plain.embed(s), enc.embed(s)), "the steering changes the vector");
            List<String> batch = new ArrayList<>(List.of(s, "x ".repeat(100), "a woman is taking a bath ."));
            List<EmbedResult> got = enc.embedEach(batch, null);
            dev.sentemb.embed.PendingEmbeddings pending = enc.submit(batch); // the server's way: stage two when awaited
            List<EmbedResult> submitted = pending.await();
            assertTrue(pending.isDone());
            for (int i = 0; i < batch.size(); i++) {
                assertEquals(got.get(i).isOk(), submitted.get(i).isOk());
                assertEquals(got.get(i).error(), submitted.get(i).error());
                if (got.get(i).isOk()) {
                    assertArrayEquals(got.get(i).vector(), submitted.get(i).vector(), 0f, "submit is embedEach, bit for bit");
                }
            }
            EmbeddingStrategy auxiliary = ((ContrastivePromptingStrategy.Stages) enc.strategy()).auxiliary();
            assertEquals(auxiliary.tokens(auxiliary.prompt(s), enc.tokenizer()).length + enc.promptIds(s).length, pending.promptTokens(0),
                    "both prompts' tokens counted");
            assertEquals(0, pending.promptTokens(1), "a sentence refused before any pass counts none");
            dev.sentemb.embed.PendingEmbeddings dropped = enc.submit(batch);
            dropped.cancel();
            List<EmbedResult> cancelled = dropped.await();
            assertTrue(cancelled.get(1).error().startsWith("the auxiliary prompt: prompt has"), cancelled.get(1).error());
            for (int i : new int[] {0, 2}) { // cancelled in the first stage, or before the second: which depends on the engine's timing
                assertTrue(cancelled.get(i).error().equals("cancelled") || cancelled.get(i).error().equals("the auxiliary prompt: cancelled"),
                        cancelled.get(i).error());
            }
            assertTrue(got.get(0).isOk() && got.get(2).isOk());
            assertFalse(got.get(1).isOk());
            assertTrue(got.get(1).error().startsWith("the auxiliary prompt: prompt has"), got.get(1).error());
            assertArrayEquals(enc.embed(s), got.get(0).vector(), 0f);
            SentembException e = assertThrows(SentembException.class, () -> enc.withStrategy(new ContrastivePromptingStrategy(PromptTemplate.eol(),
                    PromptTemplate.of(ContrastivePromptingStrategy.IRRELEVANT), new ContrastivePromptingStrategy.Settings(2, 0.5f, -1))));
            assertTrue(e.getMessage().contains("the model has blocks 0..1"), e.getMessage());
        }
    }
}
