package dev.sentemb.kernel;

/**
 * Head layout of grouped-query attention: {@code heads} query heads share {@code kvHeads} key/value
 * heads (query head h reads kv head h / (heads / kvHeads)), each {@code headDim} wide; scores are
 * scaled by {@code scale} (1/√headDim for llama and qwen2). {@code window} &gt; 0 makes it local
 * (sliding-window) attention: a query sees only itself and the window-1 tokens before it, as in
 * Gemma's local layers; 0 means every earlier token.
 */
public record AttentionShape(int heads, int kvHeads, int headDim, float scale, int window) {
    public AttentionShape {
        if (heads <= 0 || kvHeads <= 0 || headDim <= 0 || heads % kvHeads != 0 || window < 0) {
            throw new IllegalArgumentException("bad attention shape: heads=" + heads + " kvHeads=" + kvHeads
                    + " headDim=" + headDim + " window=" + window);
        }
    }

    /** Global (unwindowed) attention. */
    public AttentionShape(int heads, int kvHeads, int headDim, float scale) {
        this(heads, kvHeads, headDim, scale, 0);
    }

    /** The same heads with a sliding window of {@code window} tokens (0: none). */
    public AttentionShape withWindow(int window) {
        return new AttentionShape(heads, kvHeads, headDim, scale, window);
    }

    public int qWidth() {
        return heads * headDim;
    }

    public int kvWidth() {
        return kvHeads * headDim;
    }
}
