package dev.sentemb.tokenizer;

import dev.sentemb.weights.GgufFile;
import dev.sentemb.weights.GgufMetadata;
import java.nio.file.Path;

/** Builds the tokenizer a model file describes, picking the implementation by {@code tokenizer.ggml.model}. */
public final class Tokenizers {
    private Tokenizers() {}

    /** The tokenizer of the GGUF file at {@code path} (opened and closed here). */
    public static Tokenizer fromGguf(Path path) {
        try (GgufFile file = GgufFile.open(path)) {
            return fromGguf(file);
        }
    }

    /**
     * The tokenizer of an open GGUF file. Supported: {@code gpt2} (byte-level BPE) and
     * {@code llama} (SentencePiece-style, Gemma family). BOS/EOS are
     * added only when {@code tokenizer.ggml.add_bos_token}/{@code add_eos_token} say so; a
     * missing flag means no, as transformers does for byte-level BPE.
     *
     * @throws TokenizerException for a tokenizer kind or pre-tokenizer not supported yet
     */
    public static Tokenizer fromGguf(GgufFile file) {
        try {
            return build(file);
        } catch (TokenizerException e) {
            throw TokenizerException.in(file.path(), e);
        }
    }

    private static Tokenizer build(GgufFile file) {
        GgufMetadata md = file.metadata();
        String model = md.getString("tokenizer.ggml.model", null);
        if (model == null) {
            throw new TokenizerException(file.path() + " has no tokenizer (tokenizer.ggml.model is missing)");
        }
        return switch (model) {
            case "gpt2" -> new ByteLevelBpeTokenizer(new ByteLevelBpeConfig(
                    md.getStringArray("tokenizer.ggml.tokens"),
                    md.optIntArray("tokenizer.ggml.token_type").orElse(null),
                    md.optStringArray("tokenizer.ggml.merges").orElseThrow(() -> new TokenizerException(
                            file.path() + ": a gpt2 (byte-level BPE) tokenizer needs tokenizer.ggml.merges")),
                    md.getString("tokenizer.ggml.pre", null),
                    md.getInt("tokenizer.ggml.bos_token_id", -1),
                    md.getInt("tokenizer.ggml.eos_token_id", -1),
                    md.getBoolean("tokenizer.ggml.add_bos_token", false),
                    md.getBoolean("tokenizer.ggml.add_eos_token", false)));
            case "llama" -> SentencePieceTokenizer.fromGguf(file);
            default -> throw new TokenizerException(file.path() + ": unsupported tokenizer.ggml.model '" + dev.sentemb.SentembException.capped(model)
                    + "'; supported: gpt2, llama");
        };
    }
}
