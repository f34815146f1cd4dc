package dev.sentemb.spark;

import dev.sentemb.testing.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The tests' real text: every distinct sentence of STS-B (train, dev, test) and SICK (train, trial, test). */
final class Corpus {
    private Corpus() {}

    static List<String> stsbAndSick() {
        Path data = TestModels.shared().resolve("data/senteval");
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (String split : List.of("train", "dev", "test")) {
            for (String line : lines(data.resolve("STS/STSBenchmark/sts-" + split + ".csv"))) {
                String[] f = line.split("\t");
                if (f.length >= 7) {
                    seen.add(f[5]);
                    seen.add(f[6]);
                }
            }
        }
        for (String file : List.of("SICK_train.txt", "SICK_trial.txt", "SICK_test_annotated.txt")) {
            List<String> ls = lines(data.resolve("SICK").resolve(file));
            for (String line : ls.subList(1, ls.size())) {
                String[] f = line.split("\t");
                if (f.length >= 3) {
                    seen.add(f[1]);
                    seen.add(f[2]);
                }
            }
        }
        seen.removeIf(String::isBlank);
        return new ArrayList<>(seen);
    }

    /** Every {@code step}-th sentence: a spread-out sample of short and long ones. */
    static List<String> sample(List<String> all, int step) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += step) {
            out.add(all.get(i));
        }
        return out;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
