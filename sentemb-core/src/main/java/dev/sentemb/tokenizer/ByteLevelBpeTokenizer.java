package dev.sentemb.tokenizer;

import dev.sentemb.SentembException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * GPT-2 style byte-level BPE (SmolLM2, Qwen2.5, Llama 3, GPT-2), reproducing what HF transformers
 * builds from a GGUF file: added tokens matched first, then the pre-tokenizer split, then UTF-8
 * bytes merged by rank. Immutable apart from a lossy per-piece cache, so one instance serves any
 * number of threads.
 */
public final class ByteLevelBpeTokenizer implements Tokenizer {
    private static final int CACHE_SIZE = 1 << 15;
    private static final int MAX_CACHED_CHARS = 64;

    private final String[] tokens;
    private final byte[][] tokenBytes;
    private final int[] byteIds;
    private final BytePairEncoder bpe;
    private final PreTokenizer preTokenizer;
    private final AddedTokens added;
    private final int bosId;
    private final int eosId;
    private final boolean addBos;
    private final boolean addEos;
    private final WordCache cache = new WordCache(CACHE_SIZE);

    public ByteLevelBpeTokenizer(ByteLevelBpeConfig config) {
        this.tokens = config.tokens().clone();
        this.preTokenizer = PreTokenizer.forName(config.preTokenizer());
        this.bosId = config.bosId();
        this.eosId = config.eosId();
        this.addBos = config.addBos();
        this.addEos = config.addEos();

        Map<String, Integer> vocab = vocabulary(tokens);
        this.byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            // -1 when the vocabulary lacks the byte (SmolLM2 lacks 21): HF then drops it silently.
            byteIds[b] = vocab.getOrDefault(String.valueOf(ByteLevel.charOf(b)), -1);
        }
        this.bpe = new BytePairEncoder(mergeTable(config.merges(), vocab), byteIds);
        this.added = new AddedTokens(addedTokens(tokens, config.tokenTypes(), vocab));
        this.tokenBytes = new byte[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            tokenBytes[i] = ByteLevel.bytesOf(tokens[i]);
        }
    }

    /**
     * Token text to id, keyed the way HF keys a GGUF vocabulary: an entry not written in the byte
     * alphabet is re-spelled from its UTF-8; when two entries collide the later id wins.
     */
    private static Map<String, Integer> vocabulary(String[] tokens) {
        Map<String, Integer> vocab = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            vocab.put(ByteLevel.isSpelled(t) ? t : ByteLevel.spell(t.getBytes(StandardCharsets.UTF_8)), i);
        }
        return vocab;
    }

    private static MergeTable mergeTable(String[] merges, Map<String, Integer> vocab) {
        MergeTable table = new MergeTable(Math.max(1, merges.length));
        for (int rank = 0; rank < merges.length; rank++) {
            String m = merges[rank];
            int sp = m.indexOf(' ');
            if (sp <= 0 || sp == m.length() - 1 || m.indexOf(' ', sp + 1) >= 0) {
                throw new TokenizerException("merge " + rank + " is not two tokens separated by one space: '" + SentembException.capped(m) + "'");
            }
            String left = m.substring(0, sp);
            String right = m.substring(sp + 1);
            table.put(idOf(vocab, left, rank), idOf(vocab, right, rank), rank, idOf(vocab, left + right, rank));
        }
        return table;
    }

    private static int idOf(Map<String, Integer> vocab, String token, int rank) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new TokenizerException("merge " + rank + " uses '" + SentembException.capped(token) + "', which is not in the vocabulary");
        }
        return id;
    }

    /**
     * The tokens matched whole in text, as transformers' GGUF conversion picks them: control
     * tokens written in the byte alphabet (others are llama.cpp mislabels it skips) and all
     * user-defined ones. Each resolves to the vocabulary's id for its text.
     */
    private static Map<String, Integer> addedTokens(String[] tokens, int[] types, Map<String, Integer> vocab) {
        Map<String, Integer> added = new LinkedHashMap<>();
        if (types == null) {
            return added;
        }
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            boolean control = types[i] == TokenType.CONTROL && ByteLevel.isSpelled(t);
            if ((control || types[i] == TokenType.USER_DEFINED) && vocab.containsKey(t)) {
                added.put(t, vocab.get(t));
            }
        }
        return added;
    }

    @Override
    public int[] encode(String text, boolean addSpecial) {
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecial && addBos && bosId >= 0) {
            out.add(bosId);
        }
        PreTokenizer.PieceSink sink = (t, s, e) -> encodePiece(t, s, e, out);
        added.scan(text, new AddedTokens.Visitor() {
            @Override
            public void text(int start, int end) {
                preTokenizer.split(text, start, end, sink);
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

    private void encodePiece(String text, int start, int end, IntList out) {
        if (end - start == 1 && text.charAt(start) < 0x80) {
            int id = byteIds[text.charAt(start)];
            if (id >= 0) {
                out.add(id);
            }
            return;
        }
        String piece = text.substring(start, end);
        boolean cacheable = piece.length() <= MAX_CACHED_CHARS;
        int[] ids = cacheable ? cache.get(piece) : null;
        if (ids == null) {
            ids = bpe.encode(piece.getBytes(StandardCharsets.UTF_8));
            if (cacheable) {
                cache.put(piece, ids);
            }
        }
        out.addAll(ids);
    }

    @Override
    public String decode(int[] ids) {
        int n = 0;
        for (int id : ids) {
            n += bytes(id).length;
        }
        byte[] buf = new byte[n];
        int p = 0;
        for (int id : ids) {
            byte[] b = tokenBytes[id];
            System.arraycopy(b, 0, buf, p, b.length);
            p += b.length;
        }
        return new String(buf, StandardCharsets.UTF_8);
    }

    private byte[] bytes(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + tokens.length);
        }
        return tokenBytes[id];
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
        bytes(id);
        return tokens[id];
    }
}
