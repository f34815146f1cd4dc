package dev.sentemb.kernel;

/**
 * Head layout of grouped-query attention: {@code heads} query heads share {@code kvHeads} key/value
 * heads (query head h reads kv head h / (heads / kvHeads)), each {@code headDim} wide; scores are
 * scaled by {@code scale} (1/√headDim for llama and qwen2).
 */
public record AttentionShape(int heads, int kvHeads, int headDim, float scale) {
    public AttentionShape {
        if (heads <= 0 || kvHeads <= 0 || headDim <= 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("bad attention shape: heads=" + heads + " kvHeads=" + kvHeads + " headDim=" + headDim);
        }
    }

    public int qWidth() {
        return heads * headDim;
    }

    public int kvWidth() {
        return kvHeads * headDim;
    }
}
