package dev.failover4j.internal;

import java.util.List;
import java.util.regex.Matcher;
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

    /** The numbers a context-length error states, in the providers' wordings; each group names what it captures. */
    private static final List<Pattern> STATED = List.of(
            // OpenAI, Azure, DeepSeek, vLLM (new), LiteLLM: "maximum context length is 4096 tokens. However, your messages
            // resulted in 4770 tokens" / "However, you requested 5000 tokens (4000 in the messages, 1000 in the completion)"
            Pattern.compile("maximum context length is (?<window>\\d+) tokens.*?(?:resulted in (?<prompt>\\d+) tokens"
                    + "|\\((?<prompt2>\\d+) in the messages)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL),
            Pattern.compile("maximum context length is (?<window>\\d+) tokens", Pattern.CASE_INSENSITIVE),
            // vLLM: "The decoder prompt (length 5000) is longer than the maximum model length of 4096"
            Pattern.compile("prompt \\(length (?<prompt>\\d+)\\) is longer than the maximum model length of (?<window>\\d+)",
                    Pattern.CASE_INSENSITIVE),
            // sglang / vLLM: "The input (5000 tokens) is longer than the model's context length (4096 tokens)"
            Pattern.compile("input \\((?<prompt>\\d+) tokens\\) is longer than the model's context length \\((?<window>\\d+) tokens\\)",
                    Pattern.CASE_INSENSITIVE),
            Pattern.compile("longer than the model's context length \\((?<window>\\d+) tokens\\)", Pattern.CASE_INSENSITIVE),
            // llama.cpp server: {"n_prompt_tokens":5000,"n_ctx":4096}
            Pattern.compile("\"n_prompt_tokens\"\\s*:\\s*(?<prompt>\\d+)\\s*,\\s*\"n_ctx\"\\s*:\\s*(?<window>\\d+)"),
            // Anthropic behind gateways: "prompt is too long: 210000 tokens > 200000 maximum"
            Pattern.compile("prompt is too long: (?<prompt>\\d+) tokens > (?<window>\\d+) maximum", Pattern.CASE_INSENSITIVE));

    /**
     * What a context-length error says about the target: its real window and the prompt's size in its own tokens,
     * either of which may be missing (null).
     */
    record Stated(Integer windowTokens, Integer promptTokens) {
        boolean any() {
            return windowTokens != null || promptTokens != null;
        }
    }

    private ProviderErrorPatterns() {}

    /** @return the window and prompt size a context-length error states; both null when it states none */
    static Stated statedContextNumbers(String text) {
        if (text == null) {
            return new Stated(null, null);
        }
        for (Pattern pattern : STATED) {
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                return new Stated(group(m, "window"), group(m, "prompt") != null ? group(m, "prompt") : group(m, "prompt2"));
            }
        }
        return new Stated(null, null);
    }

    private static Integer group(Matcher m, String name) {
        try {
            String value = m.group(name);
            return value == null ? null : Integer.valueOf(value);
        } catch (IllegalArgumentException noSuchGroupOrTooLarge) {
            return null;
        }
    }

    /** @return whether an error body or message says the prompt exceeded the context window */
    public static boolean isContextLengthExceeded(String text) {
        return text != null && CONTEXT_LENGTH.matcher(text).find();
    }

    /** @return whether an error body or message says a content filter refused the request */
    public static boolean isContentFiltered(String text) {
        return text != null && CONTENT_FILTER.matcher(text).find();
    }
}
