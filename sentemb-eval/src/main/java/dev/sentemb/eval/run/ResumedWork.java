package dev.sentemb.eval.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The part of a run's work that earlier, interrupted runs finished: how many items it took from them
 * (embeddings for {@code eval}, scores for {@code search-demos}), the seconds those runs recorded for
 * them, and how many came from a file written before times were recorded (the total is then a lower bound).
 */
@JsonIgnoreProperties(ignoreUnknown = true) // read results files of later versions too
public record ResumedWork(int count, double seconds, int untimed) {}
