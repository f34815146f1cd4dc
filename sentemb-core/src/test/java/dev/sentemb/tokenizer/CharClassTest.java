package dev.sentemb.tokenizer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Our \p{L} / \p{N} / \s classes against how HF tokenizers' regex engine classifies every code
 * point (unicode_classes.txt.gz, written by the oracle script), so the splitters agree with HF on
 * all of Unicode, not only on the sampled text.
 */
class CharClassTest {

    @Test
    void everyCodePointClassifiedLikeOniguruma() throws IOException {
        byte[] expected = new byte[0x110000];
        try (InputStream in = getClass().getResourceAsStream("/tokenizer/unicode_classes.txt.gz")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                byte k = switch (f[2]) {
                    case "L" -> CharClass.LETTER;
                    case "N" -> CharClass.NUMBER;
                    case "S" -> CharClass.SPACE;
                    default -> throw new IllegalStateException(line);
                };
                for (int cp = Integer.parseInt(f[0], 16); cp <= Integer.parseInt(f[1], 16); cp++) {
                    expected[cp] = k;
                }
            }
        }
        List<String> diffs = new ArrayList<>();
        for (int cp = 0; cp < 0x110000; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            if (CharClass.of(cp) != expected[cp]) {
                diffs.add(String.format("U+%04X %s: ours %d, HF %d", cp, Character.getName(cp), CharClass.of(cp), expected[cp]));
            }
        }
        assertTrue(diffs.isEmpty(), diffs.size() + " code points differ, e.g.\n" + String.join("\n", diffs.subList(0, Math.min(20, diffs.size()))));
    }
}
