package dev.sentemb.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.kernel.Kernels;
import dev.sentemb.testing.HfFixture;
import dev.sentemb.weights.HfCheckpoint;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Tiny random checkpoints made by transformers (tools/oracle/hf_fixtures.py): every token's final
 * hidden state matches transformers' fp32 output to 1e-4, all prompts run as one packed batch.
 */
class HfForwardTest {

    static PackedHidden run(Path dir, Path adapter, boolean merge, boolean q8, HfFixture f) {
        try (HfCheckpoint ckpt = HfCheckpoint.open(dir);
             TransformerModel m = HfModels.load(ckpt, Kernels.vector(2), q8,
                     adapter == null ? null : LoraAdapter.load(adapter, merge))) {
            return m.forward(f.ids());
        }
    }

    static double maxError(PackedHidden h, HfFixture f) {
        double worst = 0;
        int row = 0;
        for (int s = 0; s < f.ids().size(); s++) {
            for (int t = 0; t < f.ids().get(s).length; t++) {
                worst = Math.max(worst, HfFixture.maxAbs(h.row(s, t), f.hidden()[row++]));
            }
            assertTrue(HfFixture.cosine(h.lastToken(s), f.last()[s]) >= 0.99999, "PromptEOL embedding of prompt " + s);
        }
        assertEquals(f.hidden().length, row);
        return worst;
    }

    @ParameterizedTest
    @ValueSource(strings = {"opt", "opt-bin", "opt-proj", "llama", "llama-f16", "llama-bf16", "qwen2", "gemma3", "llama-spm"})
    void matchesTransformers(String name) {
        HfFixture f = HfFixture.load(name);
        double err = maxError(run(f.dir(), null, false, false, f), f);
        assertTrue(err <= 1e-4, name + ": max |Δ| = " + err);
    }

    @ParameterizedTest
    @CsvSource({"llama-lora, llama, true", "llama-lora, llama, false", "opt-lora, opt, true", "opt-lora, opt, false"})
    void loraMatchesPeft(String adapter, String base, boolean merge) {
        HfFixture f = HfFixture.load(adapter);
        double err = maxError(run(HfFixture.dir(base), f.dir(), merge, false, f), f);
        assertTrue(err <= 1e-4, adapter + (merge ? " merged" : " on the fly") + ": max |Δ| = " + err);
    }

    @Test
    void loraChangesTheOutput() {
        // Guards the adapter test against an adapter that does nothing.
        HfFixture withLora = HfFixture.load("llama-lora");
        HfFixture base = HfFixture.load("llama");
        assertTrue(HfFixture.maxAbs(withLora.last()[0], base.last()[0]) > 1e-2);
    }

    @Test
    void q8OnLoadStaysClose() {
        HfFixture f = HfFixture.load("llama");
        PackedHidden h = run(f.dir(), null, false, true, f);
        double worst = 0;
        for (int s = 0; s < f.ids().size(); s++) {
            worst = Math.max(worst, 1 - HfFixture.cosine(h.lastToken(s), f.last()[s]));
        }
        // These random weights are scaled up to make attention sharp, which also amplifies 8-bit error.
        assertTrue(worst < 1e-2, "Q8_0 cosine distance " + worst);
        assertTrue(worst > 1e-7, "Q8_0 on load must actually quantize");
    }

    @Test
    void adapterForAnotherModelIsRefused() {
        HfFixture f = HfFixture.load("opt");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> run(f.dir(), HfFixture.dir("llama-lora"), true, false, f));
        assertTrue(e.getMessage().contains("no matching layer"), e.getMessage());
    }
}
