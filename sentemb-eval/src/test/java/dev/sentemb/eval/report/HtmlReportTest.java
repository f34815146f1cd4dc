package dev.sentemb.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.SentembException;
import dev.sentemb.eval.run.EvalRun;
import dev.sentemb.eval.run.ResumedWork;
import dev.sentemb.eval.sts.StsData;
import dev.sentemb.eval.sts.StsResult;
import dev.sentemb.eval.transfer.TransferResult;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    static EvalReport report(String model, long bytes, String template, double base) {
        List<StsResult> sts = new ArrayList<>();
        for (int i = 0; i < StsData.STS_TASKS.size(); i++) {
            sts.add(new StsResult(StsData.STS_TASKS.get(i), base + i, base + i - 1, 100, Map.of()));
        }
        List<TransferResult> tr = List.of(new TransferResult("MR", 70, 71.5, 10, 10, null, List.of(1e-4)));
        List<EvalRun.Point> pts = List.of(new EvalRun.Point(0.9, 5), new EvalRun.Point(0.2, 0.5), new EvalRun.Point(0.5, 2.5));
        return new EvalReport(model, "/m/" + model + ".gguf", "ab", bytes, template, "last", Map.of("java", "25"), "2026-01-01", "/d", 12.5, null, 30,
                sts, base + 3, tr, null, pts);
    }

    private static EvalReport withResumed(EvalReport r, ResumedWork w) {
        return new EvalReport(r.model(), r.modelFile(), r.modelSha256(), r.modelBytes(), r.template(), r.pooling(), r.versions(), r.date(), r.data(),
                r.wallSeconds(), w, r.sentences(), r.sts(), r.stsAvg(), r.transfer(), r.transferAvg(), r.stsbScatter());
    }

    @Test
    void markdownAndJsonRoundTrip(@TempDir Path dir) throws Exception {
        EvalReport r = report("smollm2-135m", 98_000_000, "eol", 50);
        Path f = dir.resolve("r.json");
        Files.writeString(f, r.toJson());
        EvalReport back = EvalReport.read(f);
        assertEquals(r.sts(), back.sts());
        assertEquals(r.stsbScatter(), back.stsbScatter());
        String md = Markdown.tables(List.of(back));
        assertTrue(md.contains("| smollm2-135m | PromptEOL | 50.00 | 51.00 |"), md);
        assertTrue(md.contains("| Transfer (accuracy) |"), md);
        assertTrue(md.contains(" 71.50 | – |"), md);
        assertFalse(r.withDemonstration());
        assertTrue(md.contains(" 53.00 | 13 |\n"), "this run's wall time alone when nothing was resumed: " + md);
        assertEquals("1013 (1000 resumed)", Markdown.wall(withResumed(r, new ResumedWork(900, 1000.25, 0))));
        EvalReport partlyUntimed = withResumed(r, new ResumedWork(900, 1000.25, 40));
        assertEquals("≥ 1013 (1000 resumed; 40 cached untimed)", Markdown.wall(partlyUntimed));
        assertEquals("≥ 13 (40 cached untimed)", Markdown.wall(withResumed(r, new ResumedWork(40, 0, 40))), "all resumed work untimed");
        Files.writeString(f, partlyUntimed.toJson());
        assertEquals(partlyUntimed.resumed(), EvalReport.read(f).resumed());
        assertEquals(1012.75, EvalReport.read(f).totalSeconds(), 1e-9);
        Files.writeString(f, partlyUntimed.toJson().replace("\"untimed\"", "\"fromALaterVersion\" : 1, \"untimed\""));
        assertEquals(partlyUntimed.resumed(), EvalReport.read(f).resumed(), "fields of later versions are ignored");
        EvalReport stsOnly = new EvalReport("gemma3-270m", null, null, null, "eol", "last", null, null, null, 1, null, 1, r.sts(), 53.0, List.of(), null, null);
        String both = Markdown.tables(List.of(r, stsOnly));
        String transfer = both.substring(both.indexOf("| Transfer"));
        assertTrue(both.contains("| gemma3-270m | PromptEOL | 50.00"), both);
        assertFalse(transfer.contains("gemma3-270m"), "no transfer row for a results file without transfer tasks: " + both);
        EvalReport demo = report("x", 1, "This_sentence_:_\"A_man_is_smoking.\"_means_in_one_word:\"Smoking\".This_sentence_:_\"*sent_0*\"_means_in_one_word:\"", 1);
        assertTrue(demo.withDemonstration());
        assertEquals("demo \"A man is smoking.\" → Smoking", Markdown.label(demo));
        assertEquals(Markdown.label(demo), Markdown.label(report("x", 1, "icl:smoking", 1)), "a named demonstration reads as its text");
        assertEquals("icl:from-a-later-version", Markdown.label(report("x", 1, "icl:from-a-later-version", 1)));
        EvalReport longDemo = report("x", 1, "This_sentence_:_\"the_air_passage_from_the_throat_to_the_lungs;_the_trachea.\"_means_in_one_word:\"Windpipe\"."
                + "This_sentence_:_\"*sent_0*\"_means_in_one_word:\"", 1);
        assertEquals("demo \"the air passage from the throat…\" → Windpipe", Markdown.label(longDemo));
        assertEquals("PromptEOL", Markdown.label(report("x", 1, "This_sentence_:_\"*sent_0*\"_means_in_one_word:\"", 1)));
        assertEquals("A sentence: *sent 0* | means (mean)",
                Markdown.label(new EvalReport("x", null, null, null, "A_sentence:_*sent_0*_|_means", "mean", null, null, null, 0, null, 0, null, null, null, null, null))
                        .replace("\\|", "|"));
    }

    /** Renders the report in headless Chromium and checks the charts were drawn (coloured pixels in each chart). */
    /** readAll: an eval output is one report; a compare output (its cells' reports) is each in order; anything else is named. */
    @Test
    void readsEvalAndCompareOutputs(@TempDir Path dir) throws Exception {
        EvalReport a = report("smollm2-135m", 98_000_000, "eol", 50), b = report("gemma3-270m", 240_000_000, "metaeol", 60);
        Path one = Files.writeString(dir.resolve("one.json"), a.toJson());
        assertEquals(List.of(a.sts()), EvalReport.readAll(one).stream().map(EvalReport::sts).toList());
        Path grid = Files.writeString(dir.resolve("grid.json"), "[{\"strategy\": \"prompteol\", \"report\": " + a.toJson()
                + "}, {\"strategy\": \"metaeol\", \"report\": " + b.toJson() + ", \"paper\": {}}]");
        List<EvalReport> cells = EvalReport.readAll(grid);
        assertEquals(List.of("smollm2-135m", "gemma3-270m"), cells.stream().map(EvalReport::model).toList());
        assertEquals(b.sts(), cells.get(1).sts());
        assertEquals("MetaEOL", Markdown.label(cells.get(1)));
        for (String[] bad : new String[][] {{"[]", "an empty compare output"}, {"42", "expected the JSON object of eval --output"},
                {"[{\"report\": 3}]", "cell 1 of 1 has no \"report\" object"}, {"{\"sts\": ", "not a sentemb results file"},
                {"[{\"report\": {\"sts\": \"x\"}}]", "cell 1: not a sentemb results report"}}) {
            Path f = Files.writeString(dir.resolve("bad.json"), bad[0]);
            SentembException e = assertThrows(SentembException.class, () -> EvalReport.readAll(f), bad[0]);
            assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains(bad[1]), e.getMessage());
        }
        SentembException two = assertThrows(SentembException.class, () -> EvalReport.read(grid));
        assertTrue(two.getMessage().contains("a compare output of 2 cells, not one eval report"), two.getMessage());
        Path huge = dir.resolve("huge.json");
        try (var raf = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            raf.setLength(EvalReport.MAX_BYTES + 1); // sparse
        }
        SentembException big = assertThrows(SentembException.class, () -> EvalReport.readAll(huge));
        assertTrue(big.getMessage().contains("more than a results file's limit"), big.getMessage());
    }

    @Test
    void rendersInHeadlessChromium(@TempDir Path dir) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(chromium) || System.getenv("CI") == null,
                "chromium missing: scripts/test.sh installs it");
        assertTrue(Files.isExecutable(chromium), "chromium is not installed (apt-get install -y chromium; scripts/test.sh does it)");
        List<EvalReport> rs = List.of(report("smollm2-135m", 98_000_000, "eol", 40), report("smollm2-135m", 98_000_000, "icl:best", 50),
                report("qwen2.5-coder-0.5b", 491_000_000, "eol", 45), report("qwen2.5-coder-0.5b", 491_000_000, "icl:best", 58));
        Path html = dir.resolve("report.html");
        String page = HtmlReport.render("ladder", rs);
        assertFalse(page.contains("src=\"http"), "self-contained");
        Files.writeString(html, page);
        Path png = dir.resolve("shot.png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--window-size=1100,2000", "--screenshot=" + png, html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium timed out");
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null && img.getWidth() == 1100, "screenshot written");
        // Chart.js's first palette colour (#4e79a7) fills the bars; count such pixels in the top and bottom halves.
        int top = 0, bottom = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (Math.abs(((rgb >> 16) & 255) - 0x4e) < 6 && Math.abs(((rgb >> 8) & 255) - 0x79) < 6 && Math.abs((rgb & 255) - 0xa7) < 6) {
                    if (y < img.getHeight() / 2) {
                        top++;
                    } else {
                        bottom++;
                    }
                }
            }
        }
        assertTrue(top > 5000, "bars drawn: " + top);
        assertTrue(bottom > 50, "scatter / scaling drawn: " + bottom);
        Files.copy(png, Path.of(System.getProperty("java.io.tmpdir"), "sentemb-report-test.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
