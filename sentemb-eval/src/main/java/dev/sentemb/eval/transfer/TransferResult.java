package dev.sentemb.eval.transfer;

import java.util.List;

/**
 * One transfer task's scores, as SentEval reports them: {@code devacc} (the best validation accuracy
 * of the L2 search), {@code acc} (test accuracy; for MR/CR/SUBJ/MPQA the mean over the 10 outer folds),
 * both ×100 rounded to two decimals; {@code f1} only for MRPC. {@code l2} lists the chosen weight decay
 * (one per outer fold for the cross-validated tasks).
 */
public record TransferResult(String task, double devacc, double acc, int ndev, int ntest, Double f1, List<Double> l2) {}
