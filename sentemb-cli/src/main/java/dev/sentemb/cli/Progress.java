package dev.sentemb.cli;

import dev.sentemb.eval.run.EvalRun;
import dev.sentemb.eval.transfer.TransferResult;
import java.util.Locale;
import java.util.function.LongConsumer;

/** Progress of the long commands on stderr: bars on a terminal, periodic plain lines elsewhere ({@link ProgressMeter}). */
final class Progress {
    private Progress() {}

    static boolean onTerminal() {
        var c = System.console();
        return c != null && c.isTerminal();
    }

    /** Sentences per task while it is embedded. */
    static dev.sentemb.eval.run.TaskEmbedder.Progress forEmbedding() {
        return (task, total) -> {
            ProgressMeter b = ProgressMeter.start(task, total, "sentences");
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
            private ProgressMeter bar;

            @Override
            public Runnable begin(String task, int fits) {
                if (!onTerminal()) {
                    System.err.printf("sentemb: %s: %d logistic-regression fits%n", task, fits);
                }
                bar = ProgressMeter.start("fit " + task, fits, "fits");
                ProgressMeter b = bar;
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
            private ProgressMeter bar;
            private boolean announced;

            @Override
            public void accept(long bytes) {
                if (!announced) {
                    announced = true;
                    System.err.println("sentemb: fetching model " + model + " into the cache (once)");
                    bar = ProgressMeter.start("fetch " + model, -1, "MB");
                }
                bar.stepTo(bytes >> 20);
            }
        };
    }
}
