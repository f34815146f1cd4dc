package dev.sentemb.tokenizer;

import java.util.OptionalInt;

/**
 * Text to token ids and back, exactly as the model's reference tokenizer (HF tokenizers) does it.
 * Implementations are immutable and safe to share between threads.
 */
public interface Tokenizer {

    /** Token ids for {@code text}, with BOS/EOS added as the model's metadata asks. */
    default int[] encode(String text) {
        return encode(text, true);
    }

    /**
     * Token ids for {@code text}. {@code addSpecial} only controls the BOS/EOS the model adds
     * around a sequence; special-token strings written in the text (like {@code <|im_start|>})
     * are matched as single tokens either way, as HF does by default.
     */
    int[] encode(String text, boolean addSpecial);

    /** The text these ids stand for; bytes that do not form valid UTF-8 become U+FFFD. */
    String decode(int[] ids);

    int vocabSize();

    OptionalInt bosId();

    OptionalInt eosId();

    /** The vocabulary entry for {@code id} as the model file spells it (byte-level BPE: "Ġthe"). */
    String token(int id);
}
