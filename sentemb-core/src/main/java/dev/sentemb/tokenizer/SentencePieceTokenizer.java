package dev.sentemb.tokenizer;

import dev.sentemb.weights.GgufFile;
import dev.sentemb.weights.GgufMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * SentencePiece-style BPE over characters with byte fallback ({@code tokenizer.ggml.model = llama}),
 * as transformers builds it from a Gemma GGUF: control and user-defined tokens are matched whole in
 * the raw text; the text between them has its spaces replaced by U+2581 and is merged as one piece,
 * starting from one symbol per code point (or its UTF-8 bytes as {@code <0xXX>} tokens when the
 * vocabulary lacks it); merges are those the vocabulary implies ({@link VocabularyMerges}). Immutable,
 * so one instance serves any number of threads.
 */
public final class SentencePieceTokenizer implements Tokenizer {
    /** Architectures whose SentencePiece vocabulary follows Gemma's rules (HF's GemmaTokenizer). */
    static final Set<String> GEMMA_FAMILY = Set.of("gemma", "gemma2", "gemma3");

    private static final char SPACE_MARK = '\u2581';

    private final String[] tokens;
    private final int[] bmpIds;
    private final Map<Integer, Integer> supplementaryIds;
    private final int[] byteIds;
    private final int[] byteOfToken;
    private final BytePairEncoder bpe;
    private final AddedTokens added;
    private final int bosId;
    private final int eosId;
    private final int unkId;
    private final boolean addBos;
    private final boolean addEos;

    /**
     * @param tokens     the vocabulary as the file spells it
     * @param tokenTypes GGUF token types ({@link TokenType}), or null
     */
    public SentencePieceTokenizer(String[] tokens, int[] tokenTypes, int bosId, int eosId, int unkId, boolean addBos, boolean addEos) {
        if (tokenTypes != null && tokenTypes.length != tokens.length) {
            throw new TokenizerException(tokenTypes.length + " token types for " + tokens.length + " tokens");
        }
        this.tokens = tokens.clone();
        this.bosId = bosId;
        this.eosId = eosId;
        this.unkId = unkId;
        this.addBos = addBos;
        this.addEos = addEos;

        // Gemma files store a token of two or more spaces as real spaces, but the text it must match
        // has had its spaces turned into U+2581: HF re-spells those tokens, and so do we.
        String[] keyed = new String[tokens.length];
        Map<String, Integer> vocab = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            keyed[i] = isSpaceRun(t) ? String.valueOf(SPACE_MARK).repeat(t.codePointCount(0, t.length())) : t;
            vocab.put(keyed[i], i);
        }
        this.bmpIds = new int[0x10000];
        Arrays.fill(bmpIds, -1);
        this.supplementaryIds = new HashMap<>();
        vocab.forEach((t, id) -> {
            if (t.length() == 1) {
                bmpIds[t.charAt(0)] = id;
            } else if (t.length() == 2 && t.codePointCount(0, 2) == 1) {
                supplementaryIds.put(t.codePointAt(0), id);
            }
        });
        this.byteIds = new int[256];
        this.byteOfToken = new int[tokens.length];
        Arrays.fill(byteOfToken, -1);
        for (int b = 0; b < 256; b++) {
            byteIds[b] = vocab.getOrDefault(String.format("<0x%02X>", b), -1);
            if (byteIds[b] >= 0) {
                byteOfToken[byteIds[b]] = b;
            }
        }
        this.bpe = new BytePairEncoder(VocabularyMerges.build(keyed, vocab));
        this.added = new AddedTokens(addedTokens(tokens, tokenTypes, vocab));
    }

    /** HF's test for a token to re-spell: it holds a space and nothing but whitespace (Python's str.isspace). */
    private static boolean isSpaceRun(String t) {
        return t.indexOf(' ') >= 0 && t.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    /** The tokenizer of a GGUF file stating {@code tokenizer.ggml.model = llama}. */
    static SentencePieceTokenizer fromGguf(GgufFile file) {
        GgufMetadata md = file.metadata();
        String arch = md.getString("general.architecture", "");
        if (!GEMMA_FAMILY.contains(arch)) {
            throw new TokenizerException(file.path() + ": SentencePiece-style tokenizers are supported for "
                    + GEMMA_FAMILY + " models; '" + arch + "' would need Llama's prefix-space rules, which are not implemented");
        }
        return new SentencePieceTokenizer(
                md.getStringArray("tokenizer.ggml.tokens"),
                md.optIntArray("tokenizer.ggml.token_type").orElse(null),
                md.getInt("tokenizer.ggml.bos_token_id", -1),
                md.getInt("tokenizer.ggml.eos_token_id", -1),
                md.getInt("tokenizer.ggml.unknown_token_id", -1),
                // llama.cpp (and transformers) add BOS to a SentencePiece vocabulary unless told not to.
                md.getBoolean("tokenizer.ggml.add_bos_token", true),
                md.getBoolean("tokenizer.ggml.add_eos_token", false));
    }

    /**
     * Matched whole in text, as transformers' GGUF conversion adds them: every control token, and
     * each user-defined one whose text is a vocabulary key (so runs of spaces, re-spelled above, are not).
     */
    private static Map<String, Integer> addedTokens(String[] tokens, int[] types, Map<String, Integer> vocab) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (types == null) {
            return out;
        }
        for (int i = 0; i < tokens.length; i++) {
            if ((types[i] == TokenType.CONTROL || types[i] == TokenType.USER_DEFINED) && vocab.containsKey(tokens[i])) {
                out.put(tokens[i], vocab.get(tokens[i]));
            }
        }
        return out;
    }

    @Override
    public int[] encode(String text, boolean addSpecial) {
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecial && addBos && bosId >= 0) {
            out.add(bosId);
        }
        added.scan(text, new AddedTokens.Visitor() {
            @Override
            public void text(int start, int end) {
                encodePiece(text, start, end, out);
            }

            @Override
            public void token(int id) {
                out.add(id);
            }
        });
        if (addSpecial && addEos && eosId >= 0) {
            out.add(eosId);
        }
        return out.toArray();
    }

    /** One symbol per code point (spaces as U+2581), byte tokens for unknown ones, then BPE. */
    private void encodePiece(String text, int start, int end, IntList out) {
        int[] ids = new int[(end - start) * 4];
        int n = 0;
        boolean lastWasUnk = false;
        for (int i = start; i < end; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int id = cp == ' ' ? bmpIds[SPACE_MARK] : cp < 0x10000 ? bmpIds[cp] : supplementaryIds.getOrDefault(cp, -1);
            if (id >= 0) {
                ids[n++] = id;
                lastWasUnk = false;
                continue;
            }
            byte[] utf8 = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
            boolean allBytes = true;
            for (byte b : utf8) {
                allBytes &= byteIds[b & 0xFF] >= 0;
            }
            if (allBytes) {
                for (byte b : utf8) {
                    ids[n++] = byteIds[b & 0xFF];
                }
                lastWasUnk = false;
            } else if (unkId < 0) {
                throw new TokenizerException("cannot encode U+" + Integer.toHexString(cp).toUpperCase()
                        + ": not in the vocabulary, no byte tokens for it and no unknown token");
            } else if (!lastWasUnk) { // HF fuses consecutive unknowns into one
                ids[n++] = unkId;
                lastWasUnk = true;
            }
        }
        out.addAll(bpe.merge(ids, n));
    }

    /**
     * As HF's decoder chain: U+2581 becomes a space, runs of byte tokens become their UTF-8 text
     * (one U+FFFD per byte when a run is not valid UTF-8), special tokens appear as their text.
     */
    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        for (int id : ids) {
            checkId(id);
            if (byteOfToken[id] >= 0) {
                run.write(byteOfToken[id]);
                continue;
            }
            flushBytes(run, sb);
            sb.append(tokens[id].replace(SPACE_MARK, ' '));
        }
        flushBytes(run, sb);
        return sb.toString();
    }

    private static void flushBytes(ByteArrayOutputStream run, StringBuilder sb) {
        if (run.size() == 0) {
            return;
        }
        byte[] bytes = run.toByteArray();
        run.reset();
        try {
            sb.append(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)));
        } catch (CharacterCodingException e) {
            sb.append("\uFFFD".repeat(bytes.length));
        }
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + tokens.length);
        }
    }

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    @Override
    public OptionalInt bosId() {
        return bosId >= 0 ? OptionalInt.of(bosId) : OptionalInt.empty();
    }

    @Override
    public OptionalInt eosId() {
        return eosId >= 0 ? OptionalInt.of(eosId) : OptionalInt.empty();
    }

    @Override
    public String token(int id) {
        checkId(id);
        return tokens[id];
    }
}
