package dev.sentemb.tokenizer;

/**
 * The three character classes the BPE split regexes use, defined the way Oniguruma (HF
 * tokenizers' regex engine) defines them, not the way java.util.regex does:
 * {@code \p{L}} = categories Lu Ll Lt Lm Lo; {@code \p{N}} = Nd Nl No;
 * {@code \s} = U+0009..U+000D, U+0085 and categories Zs Zl Zp (Java's {@code \s} is ASCII only).
 * The BMP is tabulated once so the splitters cost one array read per character.
 */
final class CharClass {
    private CharClass() {}

    static final byte OTHER = 0;
    static final byte LETTER = 1;
    static final byte NUMBER = 2;
    static final byte SPACE = 3;

    private static final byte[] BMP = new byte[0x10000];

    static {
        for (int c = 0; c < BMP.length; c++) {
            BMP[c] = compute(c);
        }
    }

    static byte of(int cp) {
        return cp < 0x10000 ? BMP[cp] : compute(cp);
    }

    private static byte compute(int cp) {
        if ((cp >= 0x09 && cp <= 0x0D) || cp == 0x85) {
            return SPACE;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SPACE;
            default -> OTHER;
        };
    }
}
