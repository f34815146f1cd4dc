package dev.sentemb.train;

import java.util.Objects;

/**
 * One training example: a sentence, its positive (entailment) and, optionally, its hard negative
 * (contradiction).
 *
 * @param line the line of the data file the example starts on, for messages
 */
public record Triplet(String anchor, String positive, String hardNegative, long line) {
    public Triplet {
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(positive, "positive");
    }

    public boolean hasHardNegative() {
        return hardNegative != null;
    }
}
