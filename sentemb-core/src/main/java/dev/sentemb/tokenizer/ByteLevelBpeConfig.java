package dev.sentemb.tokenizer;

/**
 * Everything a byte-level BPE tokenizer is built from, in GGUF's terms (so a GGUF file maps onto
 * it field by field, and tests can build one from plain arrays).
 *
 * @param tokens       vocabulary, index = id, spelled in GPT-2's byte alphabet ("Ġthe")
 * @param tokenTypes   {@link TokenType} per id, or null when the file has none (all normal)
 * @param merges       "left right" per line, best (lowest rank) first
 * @param preTokenizer GGUF {@code tokenizer.ggml.pre}, or null for GPT-2's split
 * @param bosId        -1 when the model has none
 * @param eosId        -1 when the model has none
 * @param addBos       whether {@link Tokenizer#encode(String)} starts with BOS
 * @param addEos       whether it ends with EOS
 */
public record ByteLevelBpeConfig(String[] tokens, int[] tokenTypes, String[] merges, String preTokenizer,
                                 int bosId, int eosId, boolean addBos, boolean addEos) {
    public ByteLevelBpeConfig {
        if (tokens == null || merges == null) {
            throw new TokenizerException("a byte-level BPE tokenizer needs tokens and merges");
        }
        if (tokenTypes != null && tokenTypes.length != tokens.length) {
            throw new TokenizerException("token types (" + tokenTypes.length + ") do not match tokens (" + tokens.length + ")");
        }
        checkId("BOS", bosId, tokens.length);
        checkId("EOS", eosId, tokens.length);
    }

    private static void checkId(String what, int id, int size) {
        if (id < -1 || id >= size) {
            throw new TokenizerException(what + " id " + id + " is outside the vocabulary of " + size);
        }
    }
}
