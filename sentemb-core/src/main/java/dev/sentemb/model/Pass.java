package dev.sentemb.model;

/**
 * What a training pass carries through the layers besides the stream: the dropout of LoRA inputs, each
 * row's mask key, and the gradient accumulators backward adds into.
 *
 * @param dropout the LoRA input dropout of this pass
 * @param rowKeys per row of the packed batch, its mask key ({@link LoraDropout#rowKey})
 * @param grads   where backward accumulates LoRA gradients (null for a forward-only pass)
 */
record Pass(LoraDropout dropout, long[] rowKeys, LoraGradients grads) {}
