package dev.sentemb.eval.run;

/**
 * The part of a run's embeddings that earlier, interrupted runs finished: how many, the seconds those
 * runs recorded for them, and how many came from a cache written before times were recorded (so the
 * total is then a lower bound).
 */
public record ResumedWork(int embeddings, double seconds, int untimed) {}
