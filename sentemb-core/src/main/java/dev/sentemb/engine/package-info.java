/**
 * Execution around the model: splitting work into packed batches ({@link dev.sentemb.engine.BatchPlanner}).
 * The shared-prefix KV cache and cross-caller request batching will live here.
 */
package dev.sentemb.engine;
