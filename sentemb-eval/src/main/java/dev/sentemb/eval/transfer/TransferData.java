package dev.sentemb.eval.transfer;

import dev.sentemb.eval.DataFormatException;
import dev.sentemb.eval.SentEvalText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the transfer tasks from SentEval's {@code data/downstream} layout with SentEval's own reading
 * rules: the binary tasks and TREC are decoded as Latin-1 (TREC's train file has one byte that is not
 * UTF-8), SST2 and MRPC as UTF-8 (MRPC's BOM stays on its header line, which is dropped). The binary
 * tasks split lines as Python's {@code str.splitlines()} does and keep empty lines as empty samples;
 * the others iterate lines as a Python text file does. Every sentence is split on whitespace and
 * re-joined with single spaces.
 */
public final class TransferData {
    public static final List<String> TASKS = List.of("MR", "CR", "SUBJ", "MPQA", "SST2", "TREC", "MRPC");

    private static final Map<String, Integer> TREC_CLASSES = Map.of("ABBR", 0, "DESC", 1, "ENTY", 2, "HUM", 3, "LOC", 4, "NUM", 5);

    private TransferData() {}

    public static boolean isTransferTask(String name) {
        return TASKS.contains(name);
    }

    public static TransferTask load(Path senteval, String name) {
        return switch (name) {
            case "MR" -> binary(name, senteval.resolve("MR/rt-polarity.pos"), senteval.resolve("MR/rt-polarity.neg"));
            case "CR" -> binary(name, senteval.resolve("CR/custrev.pos"), senteval.resolve("CR/custrev.neg"));
            // SentEval passes objective first, as its "positive" (label 1) list.
            case "SUBJ" -> binary(name, senteval.resolve("SUBJ/subj.objective"), senteval.resolve("SUBJ/subj.subjective"));
            case "MPQA" -> binary(name, senteval.resolve("MPQA/mpqa.pos"), senteval.resolve("MPQA/mpqa.neg"));
            case "SST2" -> {
                Path d = senteval.resolve("SST/binary");
                yield new TransferTask.TrainDevTest(name, sst(d.resolve("sentiment-train")), sst(d.resolve("sentiment-dev")), sst(d.resolve("sentiment-test")));
            }
            case "TREC" -> new TransferTask.TrainTest(name, trec(senteval.resolve("TREC/train_5500.label")), trec(senteval.resolve("TREC/TREC_10.label")));
            case "MRPC" -> new TransferTask.PairTrainTest(name, mrpc(senteval.resolve("MRPC/msr_paraphrase_train.txt")),
                    mrpc(senteval.resolve("MRPC/msr_paraphrase_test.txt")));
            default -> throw new IllegalArgumentException("not a transfer task: " + name);
        };
    }

    static String read(Path p, Charset cs) {
        if (!Files.isRegularFile(p)) {
            throw new DataFormatException(p, 0, "file not found (set --data or SENTEMB_DATA to SentEval's data/downstream folder)");
        }
        try {
            byte[] bytes = Files.readAllBytes(p);
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DataFormatException(p, 0, "not valid " + cs + ": " + e.getMessage());
        } catch (IOException e) {
            throw new DataFormatException(p, 0, "cannot read: " + e.getMessage());
        }
    }

    /** Positive lines get label 1, negative lines label 0, in that order. */
    static TransferTask.CrossValidated binary(String name, Path pos, Path neg) {
        List<String> p = SentEvalText.splitlines(read(pos, StandardCharsets.ISO_8859_1));
        List<String> n = SentEvalText.splitlines(read(neg, StandardCharsets.ISO_8859_1));
        List<String> x = new ArrayList<>(p.size() + n.size());
        int[] y = new int[p.size() + n.size()];
        for (String s : p) {
            y[x.size()] = 1;
            x.add(SentEvalText.join(s));
        }
        for (String s : n) {
            x.add(SentEvalText.join(s));
        }
        return new TransferTask.CrossValidated(name, new TransferTask.Labeled(x, y));
    }

    /** {@code sentence<TAB>label} a line, label 0 or 1. */
    static TransferTask.Labeled sst(Path file) {
        List<String> lines = SentEvalText.fileLines(read(file, StandardCharsets.UTF_8));
        List<String> x = new ArrayList<>();
        int[] y = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String[] c = SentEvalText.strip(lines.get(i)).split("\t", -1);
            if (c.length < 2) {
                throw new DataFormatException(file, i + 1, "expected 'sentence<TAB>label'");
            }
            y[i] = label(file, i + 1, c[1]);
            if (y[i] != 0 && y[i] != 1) {
                throw new DataFormatException(file, i + 1, "SST2 label must be 0 or 1, found " + y[i]);
            }
            x.add(SentEvalText.join(c[0]));
        }
        return new TransferTask.Labeled(x, y);
    }

    /** {@code CLASS:subclass question words …}; the subclass is the first space-separated word after the colon. */
    static TransferTask.Labeled trec(Path file) {
        List<String> lines = SentEvalText.fileLines(read(file, StandardCharsets.ISO_8859_1));
        List<String> x = new ArrayList<>();
        int[] y = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String line = SentEvalText.strip(lines.get(i));
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new DataFormatException(file, i + 1, "expected 'CLASS:subclass question'");
            }
            Integer cls = TREC_CLASSES.get(line.substring(0, colon));
            if (cls == null) {
                throw new DataFormatException(file, i + 1, "unknown TREC class '" + line.substring(0, colon) + "'");
            }
            String rest = line.substring(colon + 1);
            int space = rest.indexOf(' ');
            if (space < 0) {
                throw new DataFormatException(file, i + 1, "no question after the subclass");
            }
            y[i] = cls;
            x.add(SentEvalText.join(rest.substring(space + 1)));
        }
        return new TransferTask.Labeled(x, y);
    }

    /** Tab-separated {@code Quality, #1 ID, #2 ID, #1 String, #2 String} with a header line. */
    static TransferTask.Pairs mrpc(Path file) {
        List<String> lines = SentEvalText.fileLines(read(file, StandardCharsets.UTF_8));
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        int[] y = new int[Math.max(0, lines.size() - 1)];
        for (int i = 1; i < lines.size(); i++) {
            String[] c = SentEvalText.strip(lines.get(i)).split("\t", -1);
            if (c.length < 5) {
                throw new DataFormatException(file, i + 1, "expected 5 tab-separated columns, found " + c.length);
            }
            y[i - 1] = label(file, i + 1, c[0]);
            a.add(SentEvalText.join(c[3]));
            b.add(SentEvalText.join(c[4]));
        }
        return new TransferTask.Pairs(a, b, y);
    }

    private static int label(Path file, long line, String s) {
        try {
            return Integer.parseInt(SentEvalText.strip(s));
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, "label '" + s + "' is not an integer");
        }
    }
}
