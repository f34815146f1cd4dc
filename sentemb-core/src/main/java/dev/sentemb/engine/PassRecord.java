package dev.sentemb.engine;

/**
 * What one forward pass of an engine is about to compute, for listeners (metrics, tests of the
 * scheduler's order): input {@code i} of the pass is input {@code indexes[i]} of submission
 * {@code submissions[i]}.
 *
 * @param number      the pass's ordinal in the engine, from 0
 * @param submissions the submission id of each input
 * @param indexes     each input's index in its submission
 * @param tokens      tokens computed
 * @param blocks      blocks the pass runs (fewer than the model's when its output layer is an earlier one)
 */
public record PassRecord(long number, long[] submissions, int[] indexes, int tokens, int blocks) {

    /** Whether this pass computes any input of submission {@code id}. */
    public boolean includes(long id) {
        for (long s : submissions) {
            if (s == id) {
                return true;
            }
        }
        return false;
    }
}
