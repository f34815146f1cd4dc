package dev.sentemb.eval.search;

import dev.sentemb.eval.run.ResumedWork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The resumable log of a demonstration search: {@code pairs TAB spearman TAB seconds TAB template} a
 * line, appended as each score is found, so an interrupted search skips what it already scored and
 * reports what those scores cost. Logs written before the seconds column ({@code pairs TAB spearman TAB
 * template}) are still read; a line torn by an interruption is ignored and that score computed again.
 */
public final class ScoreLog implements DemoSearch.Known, DemoSearch.Log {
    private record Entry(double spearman, double seconds) {}

    private final Path file;
    private final Map<String, Entry> known = new HashMap<>();
    private final ResumedWork.Tally reused = new ResumedWork.Tally();

    private ScoreLog(Path file) {
        this.file = file;
    }

    /** Opens the log at {@code file}, reading the scores earlier runs finished (none when it does not exist). */
    public static ScoreLog open(Path file) {
        ScoreLog log = new ScoreLog(file);
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    log.read(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the search log " + file, e);
            }
        }
        return log;
    }

    private void read(String line) {
        String[] c = line.split("\t", 4);
        try {
            if (c.length == 4 && isNumber(c[2])) {
                known.put(key(Integer.parseInt(c[0]), c[3]), new Entry(Double.parseDouble(c[1]), Double.parseDouble(c[2])));
            } else if (c.length >= 3) {
                c = line.split("\t", 3);
                known.put(key(Integer.parseInt(c[0]), c[2]), new Entry(Double.parseDouble(c[1]), Double.NaN));
            }
        } catch (NumberFormatException e) {
            // torn by an interruption: computed again
        }
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String key(int pairs, String template) {
        return pairs + "\t" + template;
    }

    public Path file() {
        return file;
    }

    /** Scores read from earlier runs. */
    public int size() {
        return known.size();
    }

    /** A score an earlier run finished, or NaN; a hit is counted in {@link #resumed()}. */
    @Override
    public double get(int pairs, String template) {
        Entry e = known.get(key(pairs, template));
        if (e == null) {
            return Double.NaN;
        }
        reused.took(e.seconds());
        return e.spearman();
    }

    /** Appends a new score at once, so an interruption loses at most the one being computed. */
    @Override
    public void scored(DemoSearch.Ranked r, double seconds) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, String.format(Locale.ROOT, "%d\t%.6f\t%.3f\t%s%n", r.pairs(), r.spearman(), seconds, r.template()),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the search log " + file, e);
        }
    }

    /** The scores this run took from earlier runs and their recorded time; null when it took none. */
    public ResumedWork resumed() {
        return reused.total();
    }
}
