package dev.sentemb.tokenizer;

import java.util.Arrays;
import java.util.Map;

/**
 * The BPE merges a SentencePiece vocabulary implies when the file lists none (Gemma's GGUF files):
 * every way of cutting a token into two tokens of the vocabulary is a merge producing it. This is
 * what transformers does to load such a file ({@code generate_merges}), and the ranks must match it
 * exactly: merges are ordered by the produced token's position in the file (Gemma's scores do not
 * follow the merge order; the file order does), then by the longer left part first. Lengths are
 * counted in code points, as Python counts them.
 */
final class VocabularyMerges {
    private VocabularyMerges() {}

    /**
     * @param tokens the vocabulary as HF keys it (after any re-spelling)
     * @param vocab  token text to id, the later id winning for duplicates (as a Python dict built in order)
     */
    static MergeTable build(String[] tokens, Map<String, Integer> vocab) {
        checkBudget(tokens);
        int[] left = new int[1 << 16];
        int[] right = new int[1 << 16];
        int[] merged = new int[1 << 16];
        int n = 0;
        for (int id = 0; id < tokens.length; id++) {
            String t = tokens[id];
            // A duplicated text produces its merges once, at the rank of its last (winning) id.
            if (vocab.get(t) != id) {
                continue;
            }
            int cps = t.codePointCount(0, t.length());
            for (int cut = cps - 1; cut >= 1; cut--) {
                int at = t.offsetByCodePoints(0, cut);
                Integer l = vocab.get(t.substring(0, at));
                if (l == null) {
                    continue;
                }
                Integer r = vocab.get(t.substring(at));
                if (r == null) {
                    continue;
                }
                if (n == left.length) {
                    left = Arrays.copyOf(left, n * 2);
                    right = Arrays.copyOf(right, n * 2);
                    merged = Arrays.copyOf(merged, n * 2);
                }
                left[n] = l;
                right[n] = r;
                merged[n] = id;
                n++;
            }
        }
        MergeTable table = new MergeTable(Math.max(1, n));
        for (int rank = 0; rank < n; rank++) {
            table.put(left[rank], right[rank], rank, merged[rank]);
        }
        return table;
    }

    /**
     * Work (characters hashed and copied) above which the derivation is refused: every cut of a piece
     * copies and hashes it, so the cost is the sum over pieces of length², ~3·10^7 for Gemma's 262,144
     * pieces, while one hostile piece of 300,000 characters would take hours.
     */
    static final long MAX_WORK = 400_000_000L;

    private static void checkBudget(String[] tokens) {
        long work = 0;
        int longest = -1;
        for (int id = 0; id < tokens.length; id++) {
            long len = tokens[id].length();
            work += len * len;
            if (longest < 0 || len > tokens[longest].length()) {
                longest = id;
            }
        }
        if (work > MAX_WORK) {
            throw new TokenizerException("the vocabulary's pieces are too long to derive BPE merges from (" + tokens.length
                    + " pieces, the longest of " + tokens[longest].length() + " characters at id " + longest
                    + "): a real SentencePiece vocabulary's pieces are short; this file is malformed or hostile");
        }
    }
}
