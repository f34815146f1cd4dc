package dev.sentemb.eval.sts;

/** Two sentences (already in SentEval's joined form) and their gold similarity. */
public record StsPair(String a, String b, double gold) {}
