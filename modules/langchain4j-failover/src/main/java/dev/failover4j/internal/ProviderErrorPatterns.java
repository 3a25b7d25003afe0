package dev.failover4j.internal;

import java.util.regex.Pattern;

/**
 * The only place where provider error wording decides anything. A 400 is the caller's fault
 * (rethrown) unless its body says the prompt is too long for the model (try a larger window) or
 * that a content filter refused it (another provider may accept it). Each wording has a test.
 */
final class ProviderErrorPatterns {

    private static final Pattern CONTEXT_LENGTH = Pattern.compile(String.join("|",
            "context_length_exceeded", // OpenAI, Azure OpenAI, DeepSeek (error.code)
            "maximum context length", // OpenAI, DeepSeek, vLLM: "This model's maximum context length is 4096 tokens"
            "longer than the model's context length", // vLLM / sglang: "... is longer than the model's context length (4096 tokens)"
            "longer than the maximum model length", // vLLM: "The decoder prompt (length 5000) is longer than the maximum model length of 4096"
            "exceeds the maximum (input|context) length", // sglang
            "input length exceeds the context length", // Ollama
            "exceeds? the available context size", // llama.cpp server: "the request exceeds the available context size"
            "exceed_context_size_error", // llama.cpp server (error.type)
            "ContextWindowExceededError", // LiteLLM proxy
            "prompt is too long", // Anthropic behind gateways
            "input token count .* exceeds the maximum", // Gemini OpenAI-compatible endpoint
            "too many tokens", // various gateways: "Request has too many tokens"
            "reduce the length of the messages"), // OpenAI / vLLM advice line
            Pattern.CASE_INSENSITIVE);

    private static final Pattern CONTENT_FILTER = Pattern.compile(String.join("|",
            "content_filter", // Azure OpenAI (error.code), OpenAI finish reason
            "content_policy_violation", // OpenAI
            "ResponsibleAIPolicyViolation", // Azure OpenAI (innererror.code)
            "content management policy", // Azure OpenAI message text
            "flagged by (the )?(content|safety|moderation)", // gateways
            "SAFETY"), // Gemini block reason; case-sensitive match below
            0);

    private ProviderErrorPatterns() {}

    /** @return whether an error body or message says the prompt exceeded the context window */
    public static boolean isContextLengthExceeded(String text) {
        return text != null && CONTEXT_LENGTH.matcher(text).find();
    }

    /** @return whether an error body or message says a content filter refused the request */
    public static boolean isContentFiltered(String text) {
        return text != null && CONTENT_FILTER.matcher(text).find();
    }
}
