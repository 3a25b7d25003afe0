package dev.failover4j.testkit;

/**
 * Which provider's 400 a chaos endpoint sends when a request does not fit its context window (its own
 * {@linkplain ChaosOpenAiServer.Builder#contextWindowTokens(int) window} or a
 * {@link Fault#contextLengthAbove(int)} fault). Clients that learn a window from the error need to meet
 * each wording: some state the window and the count, some state nothing.
 */
public enum ContextLengthWording {

    /**
     * api.openai.com: {@code code: "context_length_exceeded"}, stating the window and the count. Prompt too
     * long: "This model's maximum context length is 4096 tokens. However, your messages resulted in 5000
     * tokens. Please reduce the length of the messages." With {@code max_tokens}: "... However, you
     * requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of
     * the messages or completion." The default.
     */
    OPENAI,

    /**
     * vLLM's OpenAI-compatible server: {@code type: "BadRequestError"}, {@code code: 400}, no
     * {@code context_length_exceeded}. Prompt too long: "The decoder prompt (length 5000) is longer than the
     * maximum model length of 4096. Make sure that `max_model_len` is no smaller than the number of text
     * tokens." With {@code max_tokens}: "This model's maximum context length is 4096 tokens. However, you
     * requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of
     * the messages or completion."
     */
    VLLM,

    /**
     * Ollama's OpenAI-compatible endpoint, which states no numbers: "the input length exceeds the context
     * length" ({@code type: "invalid_request_error"}, {@code code: null}), with or without {@code max_tokens}.
     */
    NO_NUMBERS
}
