package dev.sentemb.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads NLI training examples as SimCSE publishes them: CSV with a header naming {@code sent0},
 * {@code sent1} and optionally {@code hard_neg} (any column order, other columns ignored), or JSONL objects
 * with the same fields ({@code .jsonl}/{@code .json}). A row without a non-blank sent0 or sent1, with
 * a field of the wrong type or with broken quoting is reported (file and line) to {@code skipped} and left
 * out, or, when strict, fails the whole read.
 */
public final class TrainingData {
    private TrainingData() {}

    /** Every usable example of {@code file}; bad rows go to {@code skipped} (one message each) unless strict. */
    public static List<Triplet> read(Path file, boolean strict, Consumer<String> skipped) {
        if (!Files.isRegularFile(file)) {
            throw new TrainingDataException(file + ": no such training data file");
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        List<Triplet> out = name.endsWith(".jsonl") || name.endsWith(".json")
                ? readJsonl(file, strict, skipped)
                : readCsv(file, strict, skipped);
        if (out.isEmpty()) {
            throw new TrainingDataException(file + ": no usable training rows (each needs non-blank sent0 and sent1)");
        }
        return out;
    }

    private static List<Triplet> readCsv(Path file, boolean strict, Consumer<String> skipped) {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS);
        List<Triplet> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<Map<String, String>> rows = mapper.readerFor(Map.class)
                     .with(CsvSchema.emptySchema().withHeader())
                     .readValues(in)) {
            CsvSchema header = (CsvSchema) rows.getParserSchema();
            if (header.column("sent0") == null || header.column("sent1") == null) {
                throw new TrainingDataException(file + ": line 1: the header must name sent0 and sent1 (and optionally hard_neg), found "
                        + header.getColumnDesc());
            }
            boolean withNeg = header.column("hard_neg") != null;
            while (true) {
                long line = rows.getCurrentLocation().getLineNr();
                Map<String, String> row;
                try {
                    if (!rows.hasNextValue()) {
                        break;
                    }
                    line = rows.getCurrentLocation().getLineNr();
                    row = rows.nextValue();
                } catch (IOException | RuntimeException e) {
                    String msg = file + ": line " + Math.max(line, 2) + ": " + firstLine(e.getMessage());
                    if (strict) {
                        throw new TrainingDataException(msg, e);
                    }
                    skipped.accept(msg);
                    // Jackson cannot resynchronise inside a broken record: what follows is not read
                    skipped.accept(file + ": reading stopped at line " + Math.max(line, 2) + " after a malformed record");
                    break;
                }
                add(out, row.get("sent0"), row.get("sent1"), withNeg ? row.get("hard_neg") : null, file, line, strict, skipped);
            }
        } catch (IOException e) {
            throw new TrainingDataException(file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static List<Triplet> readJsonl(Path file, boolean strict, Consumer<String> skipped) {
        ObjectMapper json = new ObjectMapper();
        List<Triplet> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            while ((text = in.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = json.readTree(text);
                } catch (IOException e) {
                    reject(file + ": line " + line + ": not JSON: " + firstLine(e.getMessage()), strict, skipped);
                    continue;
                }
                if (!node.isObject()) {
                    reject(file + ": line " + line + ": expected a JSON object with sent0, sent1 and optionally hard_neg", strict, skipped);
                    continue;
                }
                String[] f = new String[3];
                String[] names = {"sent0", "sent1", "hard_neg"};
                boolean ok = true;
                for (int i = 0; i < 3; i++) {
                    JsonNode v = node.get(names[i]);
                    if (v != null && !v.isNull() && !v.isTextual()) {
                        reject(file + ": line " + line + ": field " + names[i] + " must be a string, found " + v.getNodeType(), strict, skipped);
                        ok = false;
                        break;
                    }
                    f[i] = v == null || v.isNull() ? null : v.asText();
                }
                if (ok) {
                    add(out, f[0], f[1], f[2], file, line, strict, skipped);
                }
            }
        } catch (IOException e) {
            throw new TrainingDataException(file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void add(List<Triplet> out, String s0, String s1, String neg, Path file, long line, boolean strict,
            Consumer<String> skipped) {
        if (s0 == null || s0.isBlank() || s1 == null || s1.isBlank()) {
            reject(file + ": line " + line + ": sent0 and sent1 must both be non-blank", strict, skipped);
            return;
        }
        out.add(new Triplet(s0, s1, neg == null || neg.isBlank() ? null : neg, line));
    }

    private static void reject(String message, boolean strict, Consumer<String> skipped) {
        if (strict) {
            throw new TrainingDataException(message);
        }
        skipped.accept(message);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed row";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
