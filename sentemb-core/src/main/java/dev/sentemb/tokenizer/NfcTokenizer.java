package dev.sentemb.tokenizer;

import java.text.Normalizer;
import java.util.OptionalInt;

/**
 * A tokenizer whose tokenizer.json asks for NFC normalization (Qwen2's does): text is composed to
 * NFC before encoding, as HF tokenizers' normalizer does. Special-token strings are ASCII, so
 * matching them before or after composing is the same.
 */
record NfcTokenizer(Tokenizer inner) implements Tokenizer {

    @Override
    public int[] encode(String text, boolean addSpecial) {
        return inner.encode(Normalizer.normalize(text, Normalizer.Form.NFC), addSpecial);
    }

    @Override
    public String decode(int[] ids) {
        return inner.decode(ids);
    }

    @Override
    public int vocabSize() {
        return inner.vocabSize();
    }

    @Override
    public OptionalInt bosId() {
        return inner.bosId();
    }

    @Override
    public OptionalInt eosId() {
        return inner.eosId();
    }

    @Override
    public String token(int id) {
        return inner.token(id);
    }
}
