/**
 * Execution around the model: {@link dev.sentemb.engine.EmbeddingEngine} (one scheduler per loaded
 * model packing every caller's prepared inputs into forward passes under a token budget, fair between
 * callers, bounded, cancellable) and the shared-prefix KV cache ({@link dev.sentemb.engine.PrefixCache}).
 */
package dev.sentemb.engine;
