package dev.sentemb.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds special and added tokens (like {@code <|im_start|>}) written literally in text, so they
 * become one token each instead of being split and merged like ordinary text. Matching is
 * leftmost-longest, as HF tokenizers' added vocabulary does it (no stripping, no word bounds).
 */
final class AddedTokens {
    /** Receives the text between matches and the matched tokens, in order. */
    interface Visitor {
        void text(int start, int end);

        void token(int id);
    }

    private record Candidate(String content, int id) {}

    private final boolean[] firstChars = new boolean[0x10000];
    private final Map<Character, Candidate[]> byFirst;
    private final boolean empty;

    /** {@code tokens}: content to id; an empty content is ignored. */
    AddedTokens(Map<String, Integer> tokens) {
        Map<Character, List<Candidate>> lists = new HashMap<>();
        tokens.forEach((content, id) -> {
            if (!content.isEmpty()) {
                lists.computeIfAbsent(content.charAt(0), c -> new ArrayList<>()).add(new Candidate(content, id));
            }
        });
        byFirst = new HashMap<>();
        lists.forEach((c, list) -> {
            Candidate[] arr = list.toArray(Candidate[]::new);
            Arrays.sort(arr, Comparator.comparingInt((Candidate k) -> k.content.length()).reversed());
            byFirst.put(c, arr);
            firstChars[c] = true;
        });
        empty = byFirst.isEmpty();
    }

    void scan(String text, Visitor visitor) {
        int len = text.length();
        int textStart = 0;
        if (!empty) {
            for (int i = 0; i < len; i++) {
                char c = text.charAt(i);
                if (!firstChars[c]) {
                    continue;
                }
                for (Candidate k : byFirst.get(c)) {
                    if (text.startsWith(k.content, i)) {
                        if (i > textStart) {
                            visitor.text(textStart, i);
                        }
                        visitor.token(k.id);
                        i += k.content.length() - 1;
                        textStart = i + 1;
                        break;
                    }
                }
            }
        }
        if (textStart < len) {
            visitor.text(textStart, len);
        }
    }
}
