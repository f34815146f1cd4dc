package dev.sentemb.tokenizer;

import java.util.Map;

/** Test access to the package's merge derivation (what a GGUF SentencePiece vocabulary without merges goes through). */
public final class HostileVocabulary {
    private HostileVocabulary() {}

    public static void deriveMerges(String[] tokens, Map<String, Integer> vocab) {
        VocabularyMerges.build(tokens, vocab);
    }
}
