package dev.sentemb.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentemb.testing.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * GPT-2 built from OpenAI's own files (encoder.json + vocab.bpe, "gpt2" split) against HF's GPT-2
 * tokenizer built from the same files.
 */
class Gpt2FilesTest {
    private static volatile Tokenizer tokenizer;

    /**
     * The shared vocab.bpe has 4 lines a refactoring tool rewrote ("Main" became
     * "ai.learn.gpt2.Main"); HF refuses them and so does our builder, so both sides drop exactly
     * these (tools/oracle/tokenizer_fixtures.py does the same).
     */
    static Tokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = load();
        }
        return tokenizer;
    }

    private static Tokenizer load() {
        Path dir = TestModels.shared().resolve("tokenizers/gpt2");
        try {
            JsonNode enc = new ObjectMapper().readTree(Files.readString(dir.resolve("encoder.json"), StandardCharsets.UTF_8));
            String[] tokens = new String[enc.size()];
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) enc::fields) {
                tokens[e.getValue().asInt()] = e.getKey();
            }
            Set<String> vocab = new HashSet<>(Arrays.asList(tokens));
            List<String> merges = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            List<String> lines = Files.readAllLines(dir.resolve("vocab.bpe"), StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] ab = line.split(" ");
                boolean ok = vocab.contains(ab[0]) && vocab.contains(ab[1]) && vocab.contains(ab[0] + ab[1]);
                (ok ? merges : dropped).add(line);
            }
            assertEquals(4, dropped.size(), () -> "expected the 4 known corrupted merges, dropped " + dropped);
            assertTrue(dropped.stream().allMatch(m -> m.startsWith("ai.learn.gpt2.")), dropped::toString);
            int[] types = new int[tokens.length];
            Arrays.fill(types, TokenType.NORMAL);
            types[50256] = TokenType.CONTROL; // <|endoftext|>, special in HF's GPT-2 tokenizer
            return new ByteLevelBpeTokenizer(new ByteLevelBpeConfig(tokens, types, merges.toArray(String[]::new),
                    "gpt2", 50256, 50256, false, false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void matchesHfOnTheHardSet() {
        Tokenizer tok = tokenizer();
        List<Fixtures.Case> cases = Fixtures.read("gpt2");
        assertFalse(cases.isEmpty());
        for (Fixtures.Case c : cases) {
            assertArrayEquals(c.ids(), tok.encode(c.text()), () -> ParityTest.describe("encode", c.text(), c.ids(), tok.encode(c.text())));
            assertEquals(c.decoded(), tok.decode(c.ids()));
        }
    }

    @Test
    void knownIds() {
        Tokenizer tok = tokenizer();
        assertArrayEquals(new int[] {15496, 995}, tok.encode("Hello world"));
        assertEquals("Ġworld", tok.token(995));
        assertEquals(50257, tok.vocabSize());
    }
}
