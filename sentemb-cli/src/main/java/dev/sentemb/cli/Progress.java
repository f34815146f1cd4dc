package dev.sentemb.cli;

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
