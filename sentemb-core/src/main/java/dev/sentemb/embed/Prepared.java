package dev.sentemb.embed;

import dev.sentemb.engine.EngineInput;
import java.util.Arrays;
import java.util.List;

/**
 * One call's sentences made ready for the engine: the distinct prompts as engine inputs (input k is the
 * prompt of slot order[k], shared by the sentences owners[slot]), and the results of sentences that failed
 * before the engine (null prompt, too long, ...).
 *
 * @param results        per sentence, its result if it already failed, else null
 * @param promptTokens   per sentence, its prompt's token count (0 if it failed before tokenizing)
 * @param owners         per distinct prompt (slot), the sentences that share it
 * @param order          input k is slot order[k]
 * @param inputs         the engine inputs, in that order
 * @param finishedBefore sentences already finished (failed) before any pass
 */
record Prepared(EmbedResult[] results, int[] promptTokens, List<List<Integer>> owners, List<Integer> order,
                List<EngineInput> inputs, int finishedBefore) {

    /** Every sentence's result from the inputs' vectors (or errors), in sentence order; repeats get copies. */
    List<EmbedResult> results(float[][] vectors, String[] errors) {
        EmbedResult[] out = results.clone();
        for (int k = 0; k < order.size(); k++) {
            List<Integer> own = owners.get(order.get(k));
            for (int j = 0; j < own.size(); j++) {
                out[own.get(j)] = errors[k] != null ? EmbedResult.failed(errors[k])
                        : EmbedResult.ok(j == 0 ? vectors[k] : vectors[k].clone());
            }
        }
        return Arrays.asList(out);
    }
}
