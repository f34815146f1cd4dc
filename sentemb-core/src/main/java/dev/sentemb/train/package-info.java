/**
 * Contrastive LoRA fine-tuning (the paper's second setting): NLI triplets in, a PEFT adapter out. The data
 * reader, the SimCSE loss over the whole batch, gradient caching (embed everything without activations,
 * then re-run micro-batches forward and backward with the loss's gradient on their embeddings), AdamW with
 * warm-up and linear decay, and checkpoints that PEFT and sentemb both load. The forward and backward
 * passes themselves are the model's ({@link dev.sentemb.model.Differentiable}).
 */
package dev.sentemb.train;
