package dev.sentemb.tokenizer;

/** Token kinds as GGUF's {@code tokenizer.ggml.token_type} numbers them (llama.cpp's llama_token_type). */
public final class TokenType {
    private TokenType() {}

    public static final int NORMAL = 1;
    public static final int UNKNOWN = 2;
    /** Special tokens like {@code <|endoftext|>}: matched whole in text, HF marks them special. */
    public static final int CONTROL = 3;
    /** Added tokens like {@code <tool_call>}: matched whole in text, but not special. */
    public static final int USER_DEFINED = 4;
    public static final int UNUSED = 5;
    public static final int BYTE = 6;
}
