package dev.sentemb.model;

import dev.sentemb.kernel.Kernels;
import java.util.List;

/**
 * The llama-style ends of the layer loop: a token-embedding lookup in, a final RMSNorm out (in place:
 * the stream is not needed after). llama/qwen2 use them as they are; gemma3 scales the embeddings.
 */
abstract class RmsNormStack extends DecoderStack {
    private final TokenEmbedding embedding;
    private final RmsNorm finalNorm;

    RmsNormStack(ModelConfig config, Kernels kernels, TokenEmbedding embedding, List<? extends Block> blocks, RmsNorm finalNorm) {
        super(config, kernels, blocks);
        this.embedding = embedding;
        this.finalNorm = finalNorm;
    }

    final RmsNorm finalNorm() {
        return finalNorm;
    }

    @Override
    float[] embed(PackedBatch batch) {
        return embedding.lookup(batch.tokens(), batch.addedTokens());
    }

    @Override
    float[] finish(float[] x, int rows) {
        return finalNorm.apply(kernels, x, rows, x);
    }

    /** Keeps the final norm's input (x itself: the caller no longer touches it). */
    @Override
    End finishTrain(float[] x, int rows, Pass pass) {
        return new End(finalNorm.apply(kernels, x, rows), x);
    }

    @Override
    float[] finishBackward(Object saved, int rows, float[] dHidden, Pass pass) {
        float[] dx = new float[dHidden.length];
        kernels.rmsNormBackward((float[]) saved, rows, finalNorm.weight(), finalNorm.eps(), dHidden, dx);
        return dx;
    }
}
