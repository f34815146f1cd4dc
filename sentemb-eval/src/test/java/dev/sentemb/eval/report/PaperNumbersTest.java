package dev.sentemb.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.eval.sts.StsData;
import dev.sentemb.eval.sts.StsResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The papers' rows: every row's average is its seven scores' mean, and a run finds its row by model and strategy. */
class PaperNumbersTest {
    private static EvalReport run(String model, String file, String template, String pooling) {
        List<StsResult> sts = StsData.STS_TASKS.stream().map(t -> new StsResult(t, 70.0, 0.7, 100, java.util.Map.of())).toList();
        return new EvalReport(model, file, null, null, template, pooling, null, null, null, 1, null, 1, sts, 70.0, List.of(), null, null);
    }

    @Test
    void everyRowsAverageIsItsMeanAndEveryKeyIsOneARunCanHave() {
        assertTrue(PaperNumbers.all().size() >= 25, "rows: " + PaperNumbers.all().size());
        for (PaperNumbers.Row r : PaperNumbers.all()) {
            double mean = r.sts().values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertEquals(r.avg(), mean, 0.011, r.strategy() + " " + r.hfId() + ": the printed average is the mean of the seven");
            assertEquals(7, r.sts().size());
            assertTrue(List.of("prompteol", "prompteol-icl", "pretcot", "ke", "metaeol", "echo", "tp", "tp-pretcot", "tp-ke", "cp", "cp-pretcot",
                    "cp-ke", "cp-icl").contains(r.strategy()), r.strategy());
        }
    }

    @Test
    void aRunFindsItsPapersRowByModelAndStrategy() {
        assertEquals(77.19, PaperNumbers.find(run("meta-llama/Llama-2-7b-hf", "/hf/models--meta-llama--Llama-2-7b-hf/snapshots/abc", "eol", "last@tp"))
                .orElseThrow().avg(), 1e-9, "TP over PromptEOL on LLaMA2-7B, by Hugging Face id");
        assertEquals(70.03, PaperNumbers.find(run("/models/Llama-2-7b-hf", "/models/Llama-2-7b-hf", "eol", "last")).orElseThrow().avg(), 1e-9,
                "a directory named after the model");
        assertEquals(77.54, PaperNumbers.find(run("meta-llama/Llama-2-7b-hf@main", null, "ke", "last@tp")).orElseThrow().avg(), 1e-9);
        assertEquals(75.11, PaperNumbers.find(run("Qwen/Qwen2-7B", null, "pretcot", "last@tp")).orElseThrow().avg(), 1e-9);
        assertEquals(75.27, PaperNumbers.find(run("meta-llama/Llama-2-7b-hf", null, "eol", "last@cp")).orElseThrow().avg(), 1e-9);
        assertEquals(77.52, PaperNumbers.find(run("facebook/opt-1.3b", null, "icl:opt-1.3b", "last")).orElseThrow().avg(), 1e-9,
                "PromptEOL with the paper's demonstration for that size");
        assertFalse(PaperNumbers.find(run("facebook/opt-1.3b", null, "icl:smoking", "last")).isPresent(), "another demonstration is not the paper's");
        assertFalse(PaperNumbers.find(run("meta-llama/Llama-2-7b-hf", null, "eol", "last@tp1:7@27")).isPresent(), "settings of one's own");
        assertFalse(PaperNumbers.find(run("smollm2-135m", "/c/smollm2-135m.gguf", "eol", "last")).isPresent(), "no paper has this model");
        assertFalse(PaperNumbers.find(run("meta-llama/Llama-2-7b-hf", null, "eol", "mean")).isPresent());
        assertNull(PaperNumbers.strategyKey("echo", "last@tp"));
        assertEquals("tp-pretcot", PaperNumbers.strategyKey(dev.sentemb.prompt.Templates.PRETCOT, "last@tp"));
    }

    @Test
    void theMarkdownTableShowsThePapersRowUnderOurs() {
        String md = Markdown.tables(List.of(run("meta-llama/Llama-2-7b-hf", null, "eol", "last@tp"), run("smollm2-135m", null, "eol", "last@tp")));
        assertTrue(md.contains("| ↳ paper: Fu et al. ACL 2025, Token Prepending (arXiv 2412.11556), Table 1 | Token Prepending | 66.90 |"), md);
        assertEquals(1, md.split("↳ paper", -1).length - 1, "only the model a paper reports gets a paper row: " + md);
    }
}
