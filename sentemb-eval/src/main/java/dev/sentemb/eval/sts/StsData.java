package dev.sentemb.eval.sts;

import dev.sentemb.eval.DataFormatException;
import dev.sentemb.eval.SentEvalText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the STS tasks from SentEval's {@code data/downstream} layout exactly as SentEval does:
 * sentences split on whitespace and re-joined, STS12–16 pairs with an empty gold line dropped,
 * STS-B columns 5–7, SICK's header line skipped.
 */
public final class StsData {
    /** The seven tasks of the paper's STS table, in its order. */
    public static final List<String> STS_TASKS = List.of("STS12", "STS13", "STS14", "STS15", "STS16", "STSBenchmark", "SICKRelatedness");

    private static final Map<String, List<String>> SUBSETS = new LinkedHashMap<>();

    static {
        SUBSETS.put("STS12", List.of("MSRpar", "MSRvid", "SMTeuroparl", "surprise.OnWN", "surprise.SMTnews"));
        SUBSETS.put("STS13", List.of("FNWN", "headlines", "OnWN"));
        SUBSETS.put("STS14", List.of("deft-forum", "deft-news", "headlines", "images", "OnWN", "tweet-news"));
        SUBSETS.put("STS15", List.of("answers-forums", "answers-students", "belief", "headlines", "images"));
        SUBSETS.put("STS16", List.of("answer-answer", "headlines", "plagiarism", "postediting", "question-question"));
    }

    private StsData() {}

    public static boolean isStsTask(String name) {
        return SUBSETS.containsKey(name) || name.equals("STSBenchmark") || name.equals("STSBenchmark-dev") || name.equals("SICKRelatedness");
    }

    public static StsTask load(Path senteval, String name) {
        if (SUBSETS.containsKey(name)) {
            Path dir = senteval.resolve("STS").resolve(name + "-en-test");
            List<StsTask.Subset> subs = new ArrayList<>();
            for (String s : SUBSETS.get(name)) {
                subs.add(new StsTask.Subset(s, readSemEval(dir.resolve("STS.input." + s + ".txt"), dir.resolve("STS.gs." + s + ".txt"))));
            }
            return new StsTask(name, subs);
        }
        return switch (name) {
            case "STSBenchmark" -> single(name, "test", readStsb(senteval.resolve("STS/STSBenchmark/sts-test.csv")));
            case "STSBenchmark-dev" -> single(name, "dev", readStsb(senteval.resolve("STS/STSBenchmark/sts-dev.csv")));
            case "SICKRelatedness" -> single(name, "test", readSick(senteval.resolve("SICK/SICK_test_annotated.txt")));
            default -> throw new IllegalArgumentException("not an STS task: " + name);
        };
    }

    private static StsTask single(String name, String split, List<StsPair> pairs) {
        return new StsTask(name, List.of(new StsTask.Subset(split, pairs)));
    }

    private static List<String> lines(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new DataFormatException(p, 0, "file not found (set --data or SENTEMB_DATA to SentEval's data/downstream folder)");
        }
        try {
            String all = Files.readString(p, StandardCharsets.UTF_8);
            if (!all.isEmpty() && all.charAt(0) == '\uFEFF') {
                all = all.substring(1);
            }
            return all.lines().toList(); // like Python's splitlines for \n, \r\n and \r
        } catch (IOException e) {
            throw new DataFormatException(p, 0, "cannot read as UTF-8: " + e.getMessage());
        }
    }

    /** STS12–16: {@code STS.input.*} (two tab-separated sentences) beside {@code STS.gs.*} (a score or empty). */
    static List<StsPair> readSemEval(Path input, Path gold) {
        List<String> in = lines(input);
        List<String> gs = lines(gold);
        if (in.size() != gs.size()) {
            throw new DataFormatException(gold, 0, gs.size() + " gold lines for " + in.size() + " sentence pairs in " + input.getFileName());
        }
        List<StsPair> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            if (gs.get(i).isEmpty()) {
                continue; // SentEval drops pairs without a gold score
            }
            String[] cols = in.get(i).split("\t", -1);
            if (cols.length < 2) {
                throw new DataFormatException(input, i + 1, "expected two tab-separated sentences");
            }
            out.add(new StsPair(SentEvalText.join(cols[0]), SentEvalText.join(cols[1]), score(gold, i + 1, gs.get(i))));
        }
        return out;
    }

    /** STS-B: tab-separated, score in column 5, sentences in columns 6 and 7 (1-based). */
    static List<StsPair> readStsb(Path file) {
        List<StsPair> out = new ArrayList<>();
        List<String> ls = lines(file);
        for (int i = 0; i < ls.size(); i++) {
            String[] c = SentEvalText.strip(ls.get(i)).split("\t", -1);
            if (c.length < 7) {
                throw new DataFormatException(file, i + 1, "expected at least 7 tab-separated columns, found " + c.length);
            }
            out.add(new StsPair(SentEvalText.join(c[5]), SentEvalText.join(c[6]), score(file, i + 1, c[4])));
        }
        return out;
    }

    /** SICK: a header line, then pair_ID, sentence_A, sentence_B, relatedness_score, …. */
    static List<StsPair> readSick(Path file) {
        List<StsPair> out = new ArrayList<>();
        List<String> ls = lines(file);
        for (int i = 1; i < ls.size(); i++) {
            String[] c = SentEvalText.strip(ls.get(i)).split("\t", -1);
            if (c.length < 4) {
                throw new DataFormatException(file, i + 1, "expected at least 4 tab-separated columns, found " + c.length);
            }
            out.add(new StsPair(SentEvalText.join(c[1]), SentEvalText.join(c[2]), score(file, i + 1, c[3])));
        }
        return out;
    }

    private static double score(Path file, long line, String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, "gold score '" + s + "' is not a number");
        }
    }
}
