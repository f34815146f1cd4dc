package dev.sentemb.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.embed.EmbedResult;
import dev.sentemb.embed.Encoder;
import dev.sentemb.load.ModelSpec;
import dev.sentemb.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The DataFrame API in local mode on real text: Spark's vectors are the library's, bit for bit, with 1, 3 and
 * 17 partitions; invalid rows come back with an error and nothing else is lost.
 */
class SentembSparkTest {
    private static final Path TINY_LLAMA = Path.of("../sentemb-core/src/test/resources/hf/llama");

    /** Every distinct STS-B and SICK sentence (~20k) on the tiny llama checkpoint: cheap enough to embed four times. */
    @Test
    void allStsbAndSickSentencesEqualTheLibraryBitwiseOnTheTinyModel() {
        List<String> all = Corpus.stsbAndSick();
        assertTrue(all.size() > 15_000, "distinct STS-B and SICK sentences: " + all.size());
        check(ModelSpec.of(TINY_LLAMA.toString()), withInvalidRows(all, 2_000), new int[] {1, 3, 17});
    }

    /** smollm2-135m, the default model, on a spread-out sample of the same sentences (the whole set: scripts/spark-bench.sh). */
    @Test
    void smollm2SampleEqualsTheLibraryBitwise() {
        List<String> sample = Corpus.sample(Corpus.stsbAndSick(), 80);
        check(ModelSpec.of(TestModels.require("smollm2-135m").toString()), withInvalidRows(sample, 9_000), new int[] {1, 3, 17});
    }

    @Test
    void theTextColumnIsCheckedUpFront() {
        SparkSession spark = LocalSpark.get();
        StructType schema = new StructType().add("n", DataTypes.IntegerType);
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(1)), schema);
        var missing = assertThrows(IllegalArgumentException.class,
                () -> SentembSpark.embed(df, "text", ModelSpec.of(TINY_LLAMA.toString()), SentembSpark.Options.defaults()));
        assertTrue(missing.getMessage().contains("no column 'text'") && missing.getMessage().contains("n"), missing.getMessage());
        var notText = assertThrows(IllegalArgumentException.class,
                () -> SentembSpark.embed(df, "n", ModelSpec.of(TINY_LLAMA.toString()), SentembSpark.Options.defaults()));
        assertTrue(notText.getMessage().contains("not strings"), notText.getMessage());
    }

    /** Null, empty, blank and over-the-context texts, spread through the sentences. */
    private static List<String> withInvalidRows(List<String> sentences, int overContextWords) {
        List<String> rows = new ArrayList<>(sentences);
        rows.add(1, null);
        rows.add(rows.size() / 3, "");
        rows.add(rows.size() / 2, "   ");
        rows.add(rows.size() - 2, "word ".repeat(overContextWords));
        return rows;
    }

    private static void check(ModelSpec spec, List<String> texts, int[] partitionCounts) {
        SparkSession spark = LocalSpark.get();
        List<EmbedResult> expected;
        try (Encoder library = Encoder.builder(spec).build()) {
            List<String> valid = texts.stream().filter(t -> RowText.invalid(t) == null).toList();
            expected = library.embedEach(valid, null);
        }
        List<Row> input = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            input.add(RowFactory.create((long) i, texts.get(i)));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false).add("text", DataTypes.StringType, true);
        for (int parts : partitionCounts) {
            Dataset<Row> df = spark.createDataFrame(input, schema).repartition(parts);
            List<Row> out = SentembSpark.embed(df, "text", spec, SentembSpark.Options.defaults().withTokens(true))
                    .orderBy("id").collectAsList();
            assertEquals(texts.size(), out.size(), parts + " partitions: rows in = rows out");
            int k = 0;
            int failed = 0;
            for (int i = 0; i < texts.size(); i++) {
                Row r = out.get(i);
                assertEquals(i, r.getLong(0), parts + " partitions: every id once");
                assertEquals(texts.get(i), r.isNullAt(1) ? null : r.getString(1));
                if (RowText.invalid(texts.get(i)) != null) {
                    assertTrue(r.isNullAt(2), "row " + i + " has no vector");
                    assertEquals(RowText.invalid(texts.get(i)), r.getString(3));
                    failed++;
                    continue;
                }
                EmbedResult want = expected.get(k++);
                if (!want.isOk()) {
                    assertTrue(r.isNullAt(2), "row " + i + ": " + want.error());
                    assertEquals(want.error(), r.getString(3));
                    failed++;
                    continue;
                }
                assertNull(r.get(3), "row " + i + " error");
                List<Float> got = r.getList(2);
                float[] v = new float[got.size()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = got.get(j);
                }
                assertArrayEquals(want.vector(), v, parts + " partitions, row " + i + ": bitwise the library's vector");
                assertNotNull(r.get(4), "tokens");
                assertTrue(r.getInt(4) > 0);
            }
            assertTrue(failed >= 4, "the invalid rows failed: " + failed);
        }
        assertTrue(ExecutorModels.loadedCount() >= 1);
    }
}
