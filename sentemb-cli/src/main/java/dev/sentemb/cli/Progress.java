package dev.sentemb.cli;

import dev.sentemb.eval.run.EvalRun;
import dev.sentemb.eval.transfer.TransferResult;
import java.util.Locale;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr, shown only when stderr is a terminal so that logs stay clean. */
final class Progress {
    private Progress() {}

    static boolean onTerminal() {
        var c = System.console();
        return c != null && c.isTerminal();
    }

    /** A bar counting {@code unit}s up to {@code max} (-1: unknown), or null when not on a terminal. */
    static ProgressBar bar(String task, long max, String unit) {
        if (!onTerminal()) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .showSpeed().setUpdateIntervalMillis(250).build();
    }

    /** A bar of sentences per task while it is embedded (nothing when not on a terminal). */
    static dev.sentemb.eval.run.TaskEmbedder.Progress forEmbedding() {
        return (task, total) -> {
            ProgressBar b = bar(task, total, "sentences");
            if (b == null) {
                return null;
            }
            return new dev.sentemb.eval.run.TaskEmbedder.Progress.Bar() {
                @Override
                public void accept(long done) {
                    b.stepTo(done);
                }

                @Override
                public void close() {
                    b.close();
                }
            };
        };
    }

    /** A bar of logistic-regression fits per transfer task, and a line with its accuracy and time when it is done. */
    static EvalRun.ScoringProgress forScoring() {
        return new EvalRun.ScoringProgress() {
            private ProgressBar bar;

            @Override
            public Runnable begin(String task, int fits) {
                bar = bar("fit " + task, fits, "fits");
                if (bar == null) {
                    System.err.printf("sentemb: %s: %d logistic-regression fits%n", task, fits);
                    return () -> {};
                }
                ProgressBar b = bar;
                return b::step;
            }

            @Override
            public void end(String task, TransferResult r, double seconds) {
                if (bar != null) {
                    bar.close();
                    bar = null;
                }
                System.err.printf(Locale.ROOT, "sentemb: %s: accuracy %.2f (dev %.2f), fitted in %.0f s%n", task, r.acc(), r.devacc(), seconds);
            }
        };
    }

    /** Reports bytes while a model is fetched; a message on stderr when not on a terminal. */
    static LongConsumer forFetch(String model) {
        return new LongConsumer() {
            private ProgressBar bar;
            private boolean announced;

            @Override
            public void accept(long bytes) {
                if (!announced) {
                    announced = true;
                    System.err.println("sentemb: fetching model " + model + " into the cache (once)");
                    bar = bar("fetch " + model, -1, "MB");
                }
                if (bar != null) {
                    bar.stepTo(bytes >> 20);
                }
            }
        };
    }
}
