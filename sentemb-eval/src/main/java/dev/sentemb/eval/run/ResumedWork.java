package dev.sentemb.eval.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The part of a run's work that earlier, interrupted runs finished: how many items it took from them
 * (embeddings for {@code eval}, scores for {@code search-demos}), the seconds those runs recorded for
 * them, and how many came from a file written before times were recorded (the total is then a lower bound).
 */
@JsonIgnoreProperties(ignoreUnknown = true) // read results files of later versions too
public record ResumedWork(int count, double seconds, int untimed) {
    /** Counts what a run takes from earlier runs, item by item, as it takes it. */
    public static final class Tally {
        private int count;
        private int untimed;
        private double seconds;

        /** One item taken; {@code recorded} is the seconds an earlier run spent on it, NaN where it recorded none. */
        public void took(double recorded) {
            count++;
            if (Double.isNaN(recorded)) {
                untimed++;
            } else {
                seconds += recorded;
            }
        }

        /** What was taken; null when nothing was. */
        public ResumedWork total() {
            return count == 0 ? null : new ResumedWork(count, seconds, untimed);
        }
    }
}
