package dev.sentemb.train;

/**
 * The recipe of a contrastive LoRA run (the CLI's defaults are the reference's train_llm.sh: batch 256, τ 0.05 with
 * hard negatives, r 64, alpha 16, dropout 0.05, lr 5e-4, 100 warm-up steps, 1 epoch).
 *
 * @param batch         triplets per optimizer step (all of them are each other's negatives)
 * @param microBatch    triplets per forward/backward chunk: memory follows this, not the batch
 * @param temperature   τ of the cosine logits
 * @param hardNegatives use the hard negatives (when every example has one)
 * @param rank          LoRA r
 * @param alpha         lora_alpha (scale alpha / r)
 * @param dropout       dropout on the LoRA input
 * @param lr            peak learning rate
 * @param warmupSteps   linear warm-up steps (then linear decay to 0)
 * @param epochs        passes over the data
 * @param maxGradNorm   global gradient-norm clipping (HF Trainer's default 1.0); ≤ 0: none
 * @param seed          data order, LoRA initialisation and dropout masks
 */
public record TrainConfig(int batch, int microBatch, double temperature, boolean hardNegatives, int rank, double alpha,
        double dropout, double lr, int warmupSteps, int epochs, double maxGradNorm, long seed) {
    public TrainConfig {
        if (batch < 2) {
            throw new IllegalArgumentException("--batch must be at least 2 (in-batch negatives), got " + batch);
        }
        if (microBatch < 1) {
            throw new IllegalArgumentException("--micro-batch must be positive, got " + microBatch);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("--temperature must be positive, got " + temperature);
        }
        if (rank < 1) {
            throw new IllegalArgumentException("--lora-r must be positive, got " + rank);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--lora-dropout must be in [0, 1), got " + dropout);
        }
        if (!(lr > 0) || epochs < 1 || warmupSteps < 0) {
            throw new IllegalArgumentException("need lr > 0, epochs >= 1 and warm-up >= 0");
        }
    }
}
