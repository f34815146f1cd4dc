package dev.sentemb.tokenizer;

import static dev.sentemb.tokenizer.CharClass.SPACE;

/**
 * GPT-2's split regex, scanned by hand:
 * <pre>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</pre>
 * (contractions are case-sensitive: "'LL" is not one). HF transformers uses this for GGUF files
 * whose pre-tokenizer it has no split for, which includes "smollm" and "default". llama.cpp
 * differs there: for "smollm" it first isolates every digit (SmolLM2's original tokenizer.json
 * does too); for SmolLM2's vocabulary that changes nothing, since it has no multi-digit tokens.
 */
final class Gpt2Splitter implements PreTokenizer {
    static final Gpt2Splitter INSTANCE = new Gpt2Splitter();

    private Gpt2Splitter() {}

    @Override
    public void split(String text, int start, int end, PieceSink sink) {
        int i = start;
        while (i < end) {
            int j = next(text, i, end);
            sink.piece(text, i, j);
            i = j;
        }
    }

    private static int next(String text, int i, int end) {
        char c = text.charAt(i);
        if (c == '\'' && i + 1 < end) {
            char a = text.charAt(i + 1);
            if (a == 's' || a == 't' || a == 'm' || a == 'd') {
                return i + 2;
            }
            if (i + 2 < end) {
                char b = text.charAt(i + 2);
                if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
                    return i + 3;
                }
            }
        }
        if (c == ' ' && i + 1 < end) {
            byte k2 = CharClass.of(text.codePointAt(i + 1));
            if (k2 != SPACE) {
                return Scan.run(text, i + 1, end, k2); // " ?\p{L}+", " ?\p{N}+" or " ?[^\s\p{L}\p{N}]+"
            }
        }
        byte k = CharClass.of(text.codePointAt(i));
        if (k != SPACE) {
            return Scan.run(text, i, end, k);
        }
        return Scan.spaces(text, i, end);
    }
}
