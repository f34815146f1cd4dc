package dev.sentemb.tokenizer;

import java.util.List;

/**
 * Cuts text into the pieces BPE runs on, as the split regex named by GGUF's
 * {@code tokenizer.ggml.pre} would (with HF tokenizers' regex semantics). Hand-written scanners
 * rather than java.util.regex, whose {@code \s}, {@code \p{..}} and case folding differ.
 */
public interface PreTokenizer {

    /** Receives pieces {@code text[start, end)} in order; together they cover the input exactly. */
    @FunctionalInterface
    interface PieceSink {
        void piece(String text, int start, int end);
    }

    /** Splits {@code text[start, end)} into pieces. */
    void split(String text, int start, int end, PieceSink sink);

    /** The names {@link #forName} accepts. */
    List<String> SUPPORTED = List.of("gpt2", "default", "smollm", "qwen2", "llama-bpe", "llama3", "llama-v3");

    /**
     * The splitter for a GGUF {@code tokenizer.ggml.pre} value; {@code null} (missing) means gpt2.
     * "smollm" and "default" split like GPT-2 because that is what transformers builds for them
     * (llama.cpp uses other regexes there, see {@link Gpt2Splitter}).
     */
    static PreTokenizer forName(String name) {
        if (name == null) {
            return Gpt2Splitter.INSTANCE;
        }
        return switch (name) {
            case "gpt2", "default", "smollm" -> Gpt2Splitter.INSTANCE;
            case "qwen2" -> ModernSplitter.QWEN2;
            case "llama-bpe", "llama3", "llama-v3" -> ModernSplitter.LLAMA3;
            default -> throw new TokenizerException("unsupported pre-tokenizer '" + dev.sentemb.SentembException.capped(name)
                    + "' (tokenizer.ggml.pre); supported: " + String.join(", ", SUPPORTED));
        };
    }
}
