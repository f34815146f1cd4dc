/**
 * The heavy numeric operations behind one narrow interface, {@link dev.sentemb.kernel.Kernels}: matmul
 * against weights in any GGUF encoding (decoded tile by tile), RMSNorm, RoPE, packed causal attention,
 * SwiGLU, residual adds. {@code Kernels.vector(threads)} is the JDK Vector API implementation; a GPU or
 * native backend would be another implementation of the same interface.
 */
package dev.sentemb.kernel;
