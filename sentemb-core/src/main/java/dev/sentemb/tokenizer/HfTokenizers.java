package dev.sentemb.tokenizer;

import dev.sentemb.SentembException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer of a Hugging Face model directory: {@code tokenizer.json} (a byte-level BPE model), or
 * GPT-2/OPT style {@code vocab.json} + {@code merges.txt} with {@code tokenizer_config.json} saying
 * whether BOS is prepended (OPT: {@code </s>}). Both build the same {@link ByteLevelBpeTokenizer} a GGUF
 * file builds, so ids equal transformers'.
 */
public final class HfTokenizers {
    /** The split regexes transformers writes for the pre-tokenizers sentemb implements, by its name for them. */
    private static final Map<String, String> SPLITS = Map.of(
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
            "qwen2",
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
            "llama-bpe",
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            "gpt2");

    private HfTokenizers() {}

    /** Whether {@code dir} holds a tokenizer this class reads. */
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve("tokenizer.json")) || Files.isRegularFile(dir.resolve("vocab.json"))
                || Files.isRegularFile(dir.resolve("tokenizer.model"));
    }

    /**
     * LLaMA-1/2's {@code tokenizer.model}: a SentencePiece BPE with byte fallback and a dummy prefix,
     * as transformers' LlamaTokenizer runs it (BOS added unless tokenizer_config.json says otherwise).
     */
    static Tokenizer fromSentencePieceModel(Path dir) {
        Path file = dir.resolve("tokenizer.model");
        SentencePieceModel m = SentencePieceModel.read(file);
        if (m.modelType() != SentencePieceModel.BPE) {
            throw new TokenizerException(file + ": SentencePiece model type " + m.modelType() + " (1 = Unigram) is not supported; supported: BPE");
        }
        if (!m.normalizer().equals("identity") || m.removeExtraWhitespaces()) {
            throw new TokenizerException(file + ": normalizer '" + quoted(m.normalizer()) + "' (remove_extra_whitespaces "
                    + m.removeExtraWhitespaces() + ") is not supported; supported: identity, as LLaMA's");
        }
        Path cfgFile = dir.resolve("tokenizer_config.json");
        JsonNode cfg = Files.isRegularFile(cfgFile) ? json(cfgFile) : new ObjectMapper().createObjectNode();
        return new SentencePieceTokenizer(m.pieces(), m.types(), m.bosId(), m.eosId(), m.unkId(),
                cfg.path("add_bos_token").asBoolean(true), cfg.path("add_eos_token").asBoolean(false), m.addDummyPrefix());
    }

    /** The directory's tokenizer; every error names the file (or, for vocab.json + merges.txt, the pair) it came from. */
    public static Tokenizer fromDirectory(Path dir) {
        if (Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            try {
                return fromTokenizerJson(dir.resolve("tokenizer.json"));
            } catch (TokenizerException e) {
                throw TokenizerException.in(dir.resolve("tokenizer.json"), e);
            }
        }
        if (Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt"))) {
            try {
                return fromVocabAndMerges(dir);
            } catch (TokenizerException e) {
                throw e.getMessage().contains(dir.toString()) ? e : TokenizerException.in(dir.resolve("vocab.json") + " + merges.txt", e);
            }
        }
        if (Files.isRegularFile(dir.resolve("tokenizer.model"))) {
            try {
                return fromSentencePieceModel(dir);
            } catch (TokenizerException e) {
                throw TokenizerException.in(dir.resolve("tokenizer.model"), e);
            }
        }
        throw new TokenizerException(dir + " has no tokenizer (expected tokenizer.json, or vocab.json + merges.txt)");
    }

    static Tokenizer fromTokenizerJson(Path file) {
        JsonNode root = json(file);
        JsonNode model = root.path("model");
        if (!model.path("type").asText("").equals("BPE")) {
            throw new TokenizerException(file + ": model type '" + model.path("type").asText() + "' is not supported; supported: BPE (byte-level)");
        }
        JsonNode norm = root.path("normalizer");
        if (model.path("byte_fallback").asBoolean(false)) {
            return sentencePiece(root, file);
        }
        if (!norm.isMissingNode() && !norm.isNull() && !norm.path("type").asText().equals("NFC")) {
            throw new TokenizerException(file + ": normalizer " + quoted(norm.path("type").asText()) + " is not supported");
        }
        String pre = preTokenizer(root.path("pre_tokenizer"), file);
        List<String> tokens = new ArrayList<>();
        model.path("vocab").properties().forEach(e -> set(tokens, id(e.getValue(), "model.vocab[" + quoted(e.getKey()) + "]"), e.getKey()));
        List<Integer> special = new ArrayList<>();
        List<Integer> userDefined = new ArrayList<>();
        for (JsonNode a : root.path("added_tokens")) {
            int id = id(a.path("id"), "added_tokens id");
            set(tokens, id, a.path("content").asText());
            (a.path("special").asBoolean(false) ? special : userDefined).add(id);
        }
        if (tokens.contains(null)) {
            throw new TokenizerException(file + ": vocabulary ids are not contiguous (id " + tokens.indexOf(null) + " is missing)");
        }
        List<String> merges = new ArrayList<>();
        int rank = 0;
        for (JsonNode m : model.path("merges")) {
            if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                merges.add(m.get(0).asText() + " " + m.get(1).asText());
            } else if (m.isTextual()) {
                merges.add(m.asText());
            } else {
                throw new TokenizerException(file + ": model.merges[" + rank + "] is " + quoted(m) + ", expected \"a b\" or [\"a\", \"b\"]");
            }
            rank++;
        }
        int[] types = new int[tokens.size()];
        Arrays.fill(types, TokenType.NORMAL);
        special.forEach(id -> types[id] = TokenType.CONTROL);
        userDefined.forEach(id -> types[id] = TokenType.USER_DEFINED);
        int[] bosEos = bosEos(root);
        int bos = bosEos[0];
        int eos = bosEos[1] >= 0 ? bosEos[1] : configuredId(file, "eos_token", tokens);
        Tokenizer t = new ByteLevelBpeTokenizer(new ByteLevelBpeConfig(tokens.toArray(String[]::new), types, merges.toArray(String[]::new),
                pre, bos, eos, bos >= 0, bosEos[1] >= 0));
        return norm.path("type").asText().equals("NFC") ? new NfcTokenizer(t) : t;
    }

    /**
     * A SentencePiece BPE exported to tokenizer.json (byte fallback, spaces replaced by U+2581). Gemma's
     * form (no dummy prefix) runs on {@link SentencePieceTokenizer}, whose merges — those the vocabulary
     * implies — are the ones such files list; LLaMA-1/2's form (a "▁" prepended) is not implemented.
     */
    private static Tokenizer sentencePiece(JsonNode root, Path file) {
        JsonNode norm = root.path("normalizer");
        JsonNode pre = root.path("pre_tokenizer");
        boolean gemmaForm = isReplaceSpace(norm);
        // LLaMA-1/2: transformers 5 writes Metaspace(prepend always); older files Prepend("▁") + Replace.
        boolean metaspace = (norm.isMissingNode() || norm.isNull()) && pre.path("type").asText().equals("Metaspace")
                && pre.path("replacement").asText().equals("\u2581") && !pre.path("split").asBoolean(true)
                && pre.path("prepend_scheme").asText().equals("always");
        boolean prepend = norm.path("type").asText().equals("Sequence") && norm.path("normalizers").size() == 2
                && norm.path("normalizers").get(0).path("type").asText().equals("Prepend")
                && norm.path("normalizers").get(0).path("prepend").asText().equals("\u2581")
                && isReplaceSpace(norm.path("normalizers").get(1)) && (pre.isMissingNode() || pre.isNull());
        if (!gemmaForm && !metaspace && !prepend) {
            throw new TokenizerException(file + ": SentencePiece BPE with normalizer " + quoted(norm) + " and pre_tokenizer " + quoted(pre)
                    + " is not supported; supported: Gemma's (spaces replaced by U+2581) and LLaMA's (a U+2581 prefix)");
        }
        List<String> tokens = new ArrayList<>();
        JsonNode model = root.path("model");
        model.path("vocab").properties().forEach(e -> set(tokens, id(e.getValue(), "model.vocab[" + quoted(e.getKey()) + "]"), e.getKey()));
        int[] types = null;
        List<int[]> added = new ArrayList<>();
        for (JsonNode a : root.path("added_tokens")) {
            int id = id(a.path("id"), "added_tokens id");
            set(tokens, id, a.path("content").asText());
            added.add(new int[] {id, a.path("special").asBoolean(false) ? TokenType.CONTROL : TokenType.USER_DEFINED});
        }
        if (tokens.contains(null)) {
            throw new TokenizerException(file + ": vocabulary ids are not contiguous (id " + tokens.indexOf(null) + " is missing)");
        }
        types = new int[tokens.size()];
        Arrays.fill(types, TokenType.NORMAL);
        for (int[] a : added) {
            types[a[0]] = a[1];
        }
        int[] bosEos = bosEos(root);
        int bos = bosEos[0];
        int eos = bosEos[1] >= 0 ? bosEos[1] : configuredId(file, "eos_token", tokens);
        String unk = model.path("unk_token").asText(null);
        int unkId = unk == null ? -1 : tokens.indexOf(unk);
        return new SentencePieceTokenizer(tokens.toArray(String[]::new), types, bos, eos, unkId, bos >= 0, bosEos[1] >= 0, !gemmaForm);
    }

    /**
     * The id of a special token tokenizer_config.json names (the EOS a model ends text with, though its
     * post-processor adds none), or -1 when it names none or one outside the vocabulary.
     */
    private static int configuredId(Path tokenizerJson, String key, List<String> tokens) {
        Path cfgFile = tokenizerJson.resolveSibling("tokenizer_config.json");
        if (!Files.isRegularFile(cfgFile)) {
            return -1;
        }
        String content = content(json(cfgFile).path(key));
        return content == null ? -1 : tokens.indexOf(content);
    }

    /** BOS/EOS: whatever special tokens the post-processor's single-sequence template puts around $A (-1: none). */
    private static int[] bosEos(JsonNode root) {
        int bos = -1;
        int eos = -1;
        for (JsonNode tp : templates(root.path("post_processor"))) {
            JsonNode single = tp.path("single");
            if (!single.isArray() && !single.isMissingNode()) {
                throw new TokenizerException("post_processor.single is " + quoted(single) + ", expected an array of template pieces");
            }
            for (int i = 0; i < single.size(); i++) {
                JsonNode st = single.get(i).path("SpecialToken");
                if (!st.isMissingNode()) {
                    int id = tp.path("special_tokens").path(st.path("id").asText()).path("ids").path(0).asInt(-1);
                    if (i == 0) {
                        bos = id;
                    } else {
                        eos = id;
                    }
                }
            }
        }
        return new int[] {bos, eos};
    }

    private static boolean isReplaceSpace(JsonNode n) {
        return n.path("type").asText().equals("Replace") && n.path("pattern").path("String").asText().equals(" ")
                && n.path("content").asText().equals("\u2581");
    }

    private static List<JsonNode> templates(JsonNode pp) {
        List<JsonNode> out = new ArrayList<>();
        if (pp.path("type").asText().equals("TemplateProcessing")) {
            out.add(pp);
        } else if (pp.path("type").asText().equals("Sequence")) {
            for (JsonNode p : pp.path("processors")) {
                out.addAll(templates(p));
            }
        }
        return out;
    }

    /** The sentemb pre-tokenizer name for a tokenizer.json pre_tokenizer (ByteLevel, or a known Split + ByteLevel). */
    private static String preTokenizer(JsonNode p, Path file) {
        String type = p.path("type").asText("");
        if (type.equals("ByteLevel") && p.path("use_regex").asBoolean(true) && !p.path("add_prefix_space").asBoolean(false)) {
            return "gpt2";
        }
        if (type.equals("Sequence")) {
            String split = null;
            boolean byteLevel = false;
            for (JsonNode s : p.path("pretokenizers")) {
                switch (s.path("type").asText("")) {
                    case "Split" -> split = s.path("pattern").path("Regex").asText(null);
                    case "ByteLevel" -> byteLevel = !s.path("use_regex").asBoolean(true) && !s.path("add_prefix_space").asBoolean(false);
                    case "Digits" -> split = "unsupported";
                    default -> split = "unsupported";
                }
            }
            String name = split == null ? null : SPLITS.get(split);
            if (byteLevel && name != null) {
                return name;
            }
        }
        throw new TokenizerException(file + ": pre_tokenizer " + quoted(p) + " is not one sentemb implements"
                + " (supported: ByteLevel, or the GPT-2, Llama 3 and Qwen2 split regexes + ByteLevel)");
    }

    /** GPT-2 / OPT repositories: vocab.json, merges.txt, tokenizer_config.json (add_bos_token, bos_token). */
    static Tokenizer fromVocabAndMerges(Path dir) {
        JsonNode vocab = json(dir.resolve("vocab.json"));
        List<String> tokens = new ArrayList<>();
        vocab.properties().forEach(e -> set(tokens, id(e.getValue(), quoted(e.getKey())), e.getKey()));
        if (tokens.contains(null)) {
            throw new TokenizerException(dir.resolve("vocab.json") + ": ids are not contiguous (id " + tokens.indexOf(null) + " is missing)");
        }
        List<String> merges = new ArrayList<>();
        requireRegularFile(dir.resolve("merges.txt"));
        try {
            for (String line : Files.readAllLines(dir.resolve("merges.txt"), StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#version")) {
                    merges.add(line);
                }
            }
        } catch (IOException e) {
            throw new TokenizerException(dir.resolve("merges.txt") + ": cannot read: " + e.getMessage());
        }
        Path cfgFile = dir.resolve("tokenizer_config.json");
        JsonNode cfg = Files.isRegularFile(cfgFile) ? json(cfgFile) : new ObjectMapper().createObjectNode();
        int[] types = new int[tokens.size()];
        Arrays.fill(types, TokenType.NORMAL);
        int bos = -1;
        int eos = -1;
        // The special tokens named in the config are matched whole in text, as transformers adds them.
        for (String key : List.of("bos_token", "eos_token", "unk_token", "pad_token")) {
            String content = content(cfg.path(key));
            int id = content == null ? -1 : tokens.indexOf(content);
            if (id >= 0) {
                types[id] = TokenType.CONTROL;
                if (key.equals("bos_token")) {
                    bos = id;
                } else if (key.equals("eos_token")) {
                    eos = id;
                }
            }
        }
        boolean addBos = cfg.path("add_bos_token").asBoolean(false);
        if (addBos && bos < 0) {
            throw new TokenizerException(cfgFile + ": add_bos_token is set but bos_token is not in vocab.json");
        }
        return new ByteLevelBpeTokenizer(new ByteLevelBpeConfig(tokens.toArray(String[]::new), types, merges.toArray(String[]::new),
                "gpt2", bos, eos, addBos, cfg.path("add_eos_token").asBoolean(false)));
    }

    private static String content(JsonNode n) {
        if (n.isTextual()) {
            return n.asText();
        }
        return n.isObject() ? n.path("content").asText(null) : null;
    }

    /** A token id: an integer in JSON, not a string, a fraction or a boolean that happens to convert. */
    private static int id(JsonNode n, String what) {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new TokenizerException(what + " is " + (n.isMissingNode() ? "missing" : quoted(n)) + ", expected an integer token id");
        }
        return n.asInt();
    }

    private static String quoted(Object v) {
        return SentembException.capped(v);
    }

    private static void set(List<String> tokens, int id, String token) {
        if (id < 0 || id > 10_000_000) {
            throw new TokenizerException("token id " + id + " out of range");
        }
        while (tokens.size() <= id) {
            tokens.add(null);
        }
        tokens.set(id, token);
    }

    /** A regular file, or a typed error: a pipe or device named like a tokenizer file would block the reader forever. */
    static void requireRegularFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new TokenizerException(file + (Files.exists(file) ? " is not a regular file (a directory, pipe or device)" : " does not exist"));
        }
    }

    private static JsonNode json(Path file) {
        requireRegularFile(file);
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new TokenizerException(file + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read JSON: " + dev.sentemb.weights.HfCheckpoint.jsonProblem(e));
        }
    }
}
