package dev.sentemb.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long task on stderr: a bar on a terminal; elsewhere (a log file, a CI job, {@code nohup})
 * a plain line every {@link #intervalNanos()} with done/total, rate and ETA, so a run of many minutes is
 * never silent. Thread-safe: the engine's callbacks may step it from another thread.
 */
abstract class ProgressMeter implements AutoCloseable {
    /** The plain line's period: {@code -Dsentemb.progress.seconds} (tests set 0), else 30 s. */
    static long intervalNanos() {
        String s = System.getProperty("sentemb.progress.seconds");
        double sec = 30;
        if (s != null) {
            try {
                sec = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                sec = 30;
            }
        }
        return (long) (Math.max(0, sec) * 1e9);
    }

    /** @param max the total (-1: unknown) */
    static ProgressMeter start(String task, long max, String unit) {
        return Progress.onTerminal() ? new Bar(task, max, unit) : new Lines(task, max, unit, System.err, intervalNanos());
    }

    abstract void stepTo(long done);

    abstract long current();

    /** A short note shown beside the count (loss, lr, ...). */
    void message(String text) {}

    void step() {
        stepTo(current() + 1);
    }

    @Override
    public abstract void close();

    private static final class Bar extends ProgressMeter {
        private final ProgressBar bar;

        Bar(String task, long max, String unit) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(" " + unit, 1)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .showSpeed().setUpdateIntervalMillis(250).build();
        }

        @Override
        void stepTo(long done) {
            bar.stepTo(done);
        }

        @Override
        long current() {
            return bar.getCurrent();
        }

        @Override
        void message(String text) {
            bar.setExtraMessage(text);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** Plain lines: {@code sentemb: embed: 1200/4800 lines (25%), 41.3 lines/s, ETA 1m27s}. */
    static final class Lines extends ProgressMeter {
        private final String task;
        private final long max;
        private final String unit;
        private final PrintStream out;
        private final long interval;
        private long lastPrint = System.nanoTime();
        private long firstTime;
        private long firstCount = -1;
        private long done;
        private boolean printed;
        private String note;

        Lines(String task, long max, String unit, PrintStream out, long intervalNanos) {
            this.task = task;
            this.max = max;
            this.unit = unit;
            this.out = out;
            this.interval = intervalNanos;
        }

        @Override
        synchronized void stepTo(long n) {
            long now = System.nanoTime();
            if (firstCount < 0) {
                firstCount = n; // the rate counts from the first report, so a resumed count is not part of it
                firstTime = now;
            }
            done = n;
            if (now - lastPrint >= interval) {
                lastPrint = now;
                print(now);
            }
        }

        @Override
        synchronized long current() {
            return done;
        }

        @Override
        synchronized void message(String text) {
            note = text;
        }

        private void print(long now) {
            printed = true;
            double sec = (now - firstTime) / 1e9;
            double rate = sec > 0 ? (done - firstCount) / sec : 0;
            StringBuilder sb = new StringBuilder("sentemb: ").append(task).append(": ").append(done);
            if (max > 0) {
                sb.append('/').append(max).append(' ').append(unit).append(String.format(Locale.ROOT, " (%d%%)", 100 * done / max));
            } else {
                sb.append(' ').append(unit);
            }
            sb.append(String.format(Locale.ROOT, ", %.1f %s/s", rate, unit));
            if (max > 0 && rate > 0 && done < max) {
                sb.append(", ETA ").append(duration((max - done) / rate));
            }
            if (note != null) {
                sb.append(", ").append(note);
            }
            out.println(sb);
        }

        static String duration(double seconds) {
            long s = Math.round(seconds);
            if (s < 60) return s + "s";
            if (s < 3600) return (s / 60) + "m" + String.format(Locale.ROOT, "%02ds", s % 60);
            return (s / 3600) + "h" + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
        }

        /** A final line when any progress was printed, so the log shows the task ended. */
        @Override
        public synchronized void close() {
            if (printed) {
                print(System.nanoTime());
            }
        }
    }
}
