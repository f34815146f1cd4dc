/**
 * Decoder-only transformers as sentence encoders: {@link dev.sentemb.model.ModelLoader} reads a GGUF
 * file's architecture and config and builds a {@link dev.sentemb.model.TransformerModel} from shared
 * blocks ({@link dev.sentemb.model.Linear}, {@link dev.sentemb.model.RmsNorm},
 * {@link dev.sentemb.model.GroupedQueryAttention}, {@link dev.sentemb.model.GatedMlp}); its forward
 * pass runs a packed batch and returns every token's final-norm hidden state.
 */
package dev.sentemb.model;
