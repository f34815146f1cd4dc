package dev.sentemb.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.load.ModelSpec;
import dev.sentemb.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code spark-embed} end to end in local mode: each input format, both outputs, order, counts, bad rows, errors. */
class SparkEmbedCommandTest {
    private static String model;
    private static List<String> sentences;
    private static List<EmbedResult> library;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        LocalSpark.get();
        model = TestModels.require("smollm2-135m").toString();
        sentences = Corpus.sample(Corpus.stsbAndSick(), 700);
        try (Encoder e = Encoder.builder(ModelSpec.of(model)).build()) {
            library = e.embedEach(sentences, null);
        }
    }

    @Test
    void textLinesComeOutInOrderWithTheLibrarysVectorsAndAnEmptyLineAsAnError() throws IOException {
        List<String> lines = new ArrayList<>(sentences);
        lines.add(5, "");
        Path in = Files.write(dir.resolve("corpus.txt"), lines, StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        Run r = run("--input", in.toString(), "--output", out.toString(), "--model", model, "--partitions", "3", "--tokens",
                "--progress-seconds", "1");
        assertEquals(0, r.code, r.text);
        assertTrue(r.text.contains(lines.size() + " rows in, " + lines.size() + " rows out, 1 with an error"), r.text);
        assertTrue(r.text.contains("stage") && r.text.contains("started"), "a progress line per stage: " + r.text);
        assertTrue(r.text.contains("rows embedded ("), "progress while the embedding stage runs: " + r.text);
        List<Row> rows = LocalSpark.get().read().parquet(out.toString()).orderBy("id").collectAsList();
        assertEquals(lines.size(), rows.size());
        List<Long> onDisk = new ArrayList<>(); // the part files, in name order, hold the rows in input order
        try (Stream<Path> parts = Files.list(out)) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                LocalSpark.get().read().parquet(p.toString()).select("id").collectAsList().forEach(x -> onDisk.add(x.getLong(0)));
            }
        }
        assertEquals(java.util.stream.LongStream.range(0, lines.size()).boxed().toList(), onDisk);
        int k = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertEquals(i, row.getLong(row.fieldIndex("id")), "input order");
            assertEquals(lines.get(i), row.getString(row.fieldIndex("text")));
            if (lines.get(i).isEmpty()) {
                assertEquals("the text is empty", row.getString(row.fieldIndex("error")));
                assertTrue(row.isNullAt(row.fieldIndex("embedding")));
                continue;
            }
            List<Float> v = row.getList(row.fieldIndex("embedding"));
            assertArrayEquals(library.get(k++).vector(), floats(v), "row " + i);
            assertTrue(row.getInt(row.fieldIndex("tokens")) > 10);
        }

        Run again = run("--input", in.toString(), "--output", out.toString(), "--model", model);
        assertNotEquals(0, again.code);
        assertTrue(again.text.contains("already exists"), again.text);
    }

    @Test
    void jsonlInWithBadLinesAndJsonlOut() throws IOException {
        ObjectMapper om = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (String s : sentences) {
            lines.add(om.writeValueAsString(java.util.Map.of("text", s, "source", "sts")));
        }
        lines.add(3, "{\"text\": \"unterminated");
        lines.add(7, "{\"source\": \"no text field\"}");
        Path in = Files.write(dir.resolve("corpus.jsonl"), lines, StandardCharsets.UTF_8);
        Path out = dir.resolve("out-jsonl");
        Run r = run("--input", in.toString(), "--output", out.toString(), "--output-format", "jsonl", "--model", model,
                "--partitions", "2");
        assertEquals(0, r.code, r.text);
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                for (String line : Files.readAllLines(p)) {
                    rows.add(om.readTree(line));
                }
            }
        }
        assertEquals(lines.size(), rows.size(), "every line, the bad ones included");
        int k = 0;
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            assertEquals(i, row.get("id").asLong());
            if (i == 3 || i == 7) {
                assertTrue(row.get("embedding").isNull());
                assertTrue(row.get("error").asText().contains("null"), row.toString());
                continue;
            }
            assertTrue(row.get("error").isNull(), row.toString());
            float[] v = new float[row.get("embedding").size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = row.get("embedding").get(j).floatValue();
            }
            assertArrayEquals(library.get(k++).vector(), v, "row " + i + " (floats survive JSON exactly)");
        }
    }

    @Test
    void csvWithItsOwnIdColumnAndQuotedNewlines() throws IOException {
        StringBuilder csv = new StringBuilder("doc,body\n");
        List<String> texts = List.of("A man is playing a flute.", "She said \"yes\", then left.", "Two lines\nin one field.");
        for (int i = 0; i < texts.size(); i++) {
            csv.append("d").append(i).append(",\"").append(texts.get(i).replace("\"", "\"\"")).append("\"\n");
        }
        Path in = Files.writeString(dir.resolve("docs.csv"), csv);
        Path out = dir.resolve("out-csv");
        Run r = run("--input", in.toString(), "--output", out.toString(), "--model", model, "--text-column", "body",
                "--id-column", "doc");
        assertEquals(0, r.code, r.text);
        List<Row> rows = LocalSpark.get().read().parquet(out.toString()).orderBy("doc").collectAsList();
        List<EmbedResult> want;
        try (Encoder e = Encoder.builder(ModelSpec.of(model)).build()) {
            want = e.embedEach(texts, null);
        }
        assertEquals(3, rows.size());
        for (int i = 0; i < 3; i++) {
            assertEquals("d" + i, rows.get(i).getString(rows.get(i).fieldIndex("doc")));
            assertEquals(texts.get(i), rows.get(i).getString(rows.get(i).fieldIndex("body")));
            assertArrayEquals(want.get(i).vector(), floats(rows.get(i).getList(rows.get(i).fieldIndex("embedding"))));
        }
    }

    @Test
    void aMissingTextColumnOrAWrongModelFileIsOneClearError() throws IOException {
        Path in = Files.writeString(dir.resolve("c.jsonl"), "{\"body\": \"x\"}\n");
        Run r = run("--input", in.toString(), "--output", dir.resolve("o").toString(), "--model", model);
        assertEquals(1, r.code);
        assertTrue(r.text.contains("no column 'text'") && r.text.contains("body") && r.text.contains("--text-column"), r.text);

        Run missing = run("--input", dir.resolve("nope.txt").toString(), "--output", dir.resolve("o3").toString(), "--model", model);
        assertEquals(1, missing.code);
        assertTrue(missing.text.contains("--input " + dir.resolve("nope.txt") + ": no such file or directory"), missing.text);

        Path bogus = Files.writeString(dir.resolve("not-a-model.gguf"), "not a model");
        Path txt = Files.writeString(dir.resolve("one.txt"), "a sentence\n");
        Run bad = run("--input", txt.toString(), "--output", dir.resolve("o2").toString(), "--model", bogus.toString());
        assertEquals(1, bad.code);
        assertTrue(bad.text.contains("not-a-model.gguf"), bad.text);
    }

    /**
     * --strategy runs a named strategy as the library does, bit for bit: an own-prompt one (echo, mean-pooled), an
     * ensemble of eight prompts a sentence (metaeol), a prompt one with its template changed (pretcot with icl:smoking);
     * a template file's ensemble (--templates); an own-prompt strategy with a template is refused in one line.
     */
    @Test
    void aNamedStrategyGivesTheLibrarysVectors() throws IOException {
        List<String> few = sentences.subList(0, 12);
        Path txt = Files.write(dir.resolve("few.txt"), few, StandardCharsets.UTF_8);
        String[][] cases = {{"echo"}, {"metaeol"}, {"pretcot", "--template", "icl:smoking"}};
        for (String[] c : cases) {
            dev.sentemb.strategy.Strategies.Named named = dev.sentemb.strategy.Strategies.require(c[0]);
            dev.sentemb.strategy.EmbeddingStrategy want = c.length == 1 ? named.strategy()
                    : new dev.sentemb.strategy.PromptEolStrategy(dev.sentemb.prompt.Templates.resolve(c[2]), named.pooling(), named.layer());
            List<EmbedResult> lib;
            try (Encoder e = Encoder.builder(ModelSpec.of(model)).strategy(want).build()) {
                lib = e.embedEach(few, null);
            }
            Path out = dir.resolve("strategy-" + c[0]);
            List<String> args = new ArrayList<>(List.of("--input", txt.toString(), "--output", out.toString(), "--model", model,
                    "--partitions", "2", "--strategy", c[0]));
            args.addAll(List.of(c).subList(1, c.length));
            Run r = run(args.toArray(String[]::new));
            assertEquals(0, r.code, r.text);
            List<Row> rows = LocalSpark.get().read().parquet(out.toString()).orderBy("id").collectAsList();
            assertEquals(few.size(), rows.size());
            for (int i = 0; i < few.size(); i++) {
                assertArrayEquals(lib.get(i).vector(), floats(rows.get(i).getList(rows.get(i).fieldIndex("embedding"))), c[0] + " row " + i);
            }
        }
        // --templates: a file's templates averaged, shipped to the executors as the lines read on the driver
        Path file = Files.writeString(dir.resolve("two.txt"), "# plain and after a demonstration\neol\nicl:smoking\n");
        List<EmbedResult> mean;
        try (Encoder e = Encoder.builder(ModelSpec.of(model)).strategy(dev.sentemb.strategy.EnsembleStrategy.ofTemplates("two",
                dev.sentemb.prompt.TemplateFile.resolve(file), dev.sentemb.strategy.Pooling.LAST, dev.sentemb.model.PassOptions.FINAL_LAYER)).build()) {
            mean = e.embedEach(few, null);
        }
        Run t = run("--input", txt.toString(), "--output", dir.resolve("templates").toString(), "--model", model, "--partitions", "2",
                "--templates", file.toString());
        assertEquals(0, t.code, t.text);
        List<Row> trows = LocalSpark.get().read().parquet(dir.resolve("templates").toString()).orderBy("id").collectAsList();
        for (int i = 0; i < few.size(); i++) {
            assertArrayEquals(mean.get(i).vector(), floats(trows.get(i).getList(trows.get(i).fieldIndex("embedding"))), "templates row " + i);
        }
        Run both = run("--input", txt.toString(), "--output", dir.resolve("bad-templates").toString(), "--model", model,
                "--templates", file.toString(), "--strategy", "echo");
        assertEquals(1, both.code);
        assertTrue(both.text.contains("--templates is an ensemble of its own: it takes --pooling and --layer, not --strategy"), both.text);
        Run bad = run("--input", txt.toString(), "--output", dir.resolve("bad-strategy").toString(), "--model", model,
                "--strategy", "echo", "--template", "icl:smoking");
        assertEquals(1, bad.code);
        assertTrue(bad.text.contains("strategy echo sets its own prompt and read-out"), bad.text);
        Run unknown = run("--input", txt.toString(), "--output", dir.resolve("unknown-strategy").toString(), "--model", model,
                "--strategy", "nonesuch");
        assertEquals(1, unknown.code);
        assertTrue(unknown.text.contains("nonesuch"), unknown.text);
    }

    /** A model shipped with --files (here SparkContext.addFile) is found by its name, and its SHA-256 checked. */
    @Test
    void aShippedModelIsFoundByNameAndItsHashChecked() throws IOException {
        Path copy = Files.copy(Path.of(model), dir.resolve("shipped-smollm2.gguf"));
        LocalSpark.get().sparkContext().addFile(copy.toString());
        // "--model shipped-smollm2.gguf" names no file in the working directory: only Spark's copy is found
        String sha = ExecutorModels.sha256(Path.of(model));
        Path txt = Files.write(dir.resolve("few.txt"), sentences.subList(0, 3), StandardCharsets.UTF_8);
        Path out = dir.resolve("shipped");
        Run r = run("--input", txt.toString(), "--output", out.toString(), "--model", "shipped-smollm2.gguf", "--sha256", sha);
        assertEquals(0, r.code, r.text);
        List<Row> rows = LocalSpark.get().read().parquet(out.toString()).orderBy("id").collectAsList();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(library.get(i).vector(), floats(rows.get(i).getList(rows.get(i).fieldIndex("embedding"))));
        }
        String wrong = "0".repeat(64);
        Run bad = run("--input", txt.toString(), "--output", dir.resolve("bad").toString(), "--model", "shipped-smollm2.gguf",
                "--sha256", wrong);
        assertEquals(1, bad.code);
        assertTrue(bad.text.contains("SHA-256 " + sha) && bad.text.contains("expected " + wrong), bad.text);
    }

    private record Run(int code, String text) {}

    private static Run run(String... args) {
        var cmd = new SparkEmbedCommand();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        cmd.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(cmd).setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler(SparkEmbedMain.ERRORS);
        int code = cli.execute(args);
        return new Run(code, bytes.toString(StandardCharsets.UTF_8) + err);
    }

    private static float[] floats(List<Float> v) {
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = v.get(i);
        }
        return f;
    }
}
