package dev.failover4j.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover4j.testkit.ContextLengthWording;

/**
 * The error bodies providers really send, copied from api.openai.com and Azure OpenAI responses (and,
 * for the context length, vLLM's and Ollama's), so a client's error classification can be tested against
 * the real wording.
 */
public final class ErrorBodies {

    private ErrorBodies() {
    }

    static String forStatus(int status) {
        return switch (status) {
            case 400 -> OpenAiJson.error("Invalid request.", "invalid_request_error", null, null).toString();
            case 401 -> authentication();
            case 403 -> OpenAiJson.error("You are not allowed to sample from this model.", "invalid_request_error",
                    null, null).toString();
            case 404 -> OpenAiJson.error("Not found.", "invalid_request_error", null, null).toString();
            case 408 -> OpenAiJson.error("Request timed out.", "timeout", null, null).toString();
            case 429 -> rateLimited("the requested model");
            case 500 -> OpenAiJson.error("The server had an error while processing your request. Sorry about that!",
                    "server_error", null, null).toString();
            case 502 -> OpenAiJson.error("Bad gateway.", "server_error", null, null).toString();
            case 503 -> OpenAiJson.error("The server is overloaded or not ready yet.", "server_error", null, null)
                    .toString();
            case 504 -> OpenAiJson.error("Gateway timeout.", "server_error", null, null).toString();
            default -> OpenAiJson.error("HTTP " + status, status >= 500 ? "server_error" : "invalid_request_error",
                    null, null).toString();
        };
    }

    static String rateLimited(String model) {
        return OpenAiJson.error("Rate limit reached for " + model + " in organization org-chaos on requests per min "
                        + "(RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.",
                "requests", "requests", "rate_limit_exceeded").toString();
    }

    static String authentication() {
        // OpenAI echoes a masked key here; we echo nothing of it.
        return OpenAiJson.error("Incorrect API key provided. You can find your API key at "
                        + "https://platform.openai.com/account/api-keys.",
                "invalid_request_error", null, "invalid_api_key").toString();
    }

    static String modelNotFound(String model) {
        return OpenAiJson.error("The model `" + model + "` does not exist or you do not have access to it.",
                "invalid_request_error", null, "model_not_found").toString();
    }

    /**
     * The 400 for a request over the context window in {@code wording}; {@code completionTokens} is the
     * requested {@code max_tokens}, 0 when only the prompt is too long.
     */
    public static String contextLengthExceeded(ContextLengthWording wording, int window, int promptTokens,
                                               int completionTokens) {
        String requested = "This model's maximum context length is " + window + " tokens. However, you requested "
                + (promptTokens + completionTokens) + " tokens (" + promptTokens + " in the messages, "
                + completionTokens + " in the completion). Please reduce the length of the messages or completion.";
        return switch (wording) {
            case OPENAI -> OpenAiJson.error(completionTokens == 0
                            ? "This model's maximum context length is " + window + " tokens. However, your messages "
                            + "resulted in " + promptTokens + " tokens. Please reduce the length of the messages."
                            : requested,
                    "invalid_request_error", "messages", "context_length_exceeded").toString();
            case VLLM -> vllmBadRequest(completionTokens == 0
                    ? "The decoder prompt (length " + promptTokens + ") is longer than the maximum model length of "
                    + window + ". Make sure that `max_model_len` is no smaller than the number of text tokens."
                    : requested);
            case NO_NUMBERS -> OpenAiJson.error("the input length exceeds the context length",
                    "invalid_request_error", null, null).toString();
        };
    }

    /** vLLM's {@code ErrorResponse}: the HTTP status as a number in {@code code}. */
    private static String vllmBadRequest(String message) {
        ObjectNode root = OpenAiJson.error(message, "BadRequestError", null, null);
        ((ObjectNode) root.get("error")).put("code", 400);
        return root.toString();
    }

    static String contentFiltered() {
        ObjectNode root = OpenAiJson.error("The response was filtered due to the prompt triggering Azure OpenAI's "
                        + "content management policy. Please modify your prompt and retry. To learn more about our "
                        + "content filtering policies please read our documentation: "
                        + "https://go.microsoft.com/fwlink/?linkid=2198766",
                null, "prompt", "content_filter");
        ObjectNode error = (ObjectNode) root.get("error");
        error.put("status", 400);
        ObjectNode inner = error.putObject("innererror");
        inner.put("code", "ResponsibleAIPolicyViolation");
        ObjectNode result = inner.putObject("content_filter_result");
        result.putObject("hate").put("filtered", false).put("severity", "safe");
        result.putObject("jailbreak").put("filtered", false).put("detected", false);
        result.putObject("self_harm").put("filtered", false).put("severity", "safe");
        result.putObject("sexual").put("filtered", false).put("severity", "safe");
        result.putObject("violence").put("filtered", true).put("severity", "medium");
        return root.toString();
    }

    static String serverErrorIn200() {
        return OpenAiJson.error("The server had an error processing your request. Sorry about that! You can retry "
                + "your request, or contact us through our help center if you keep seeing this error.",
                "server_error", null, null).toString();
    }

    static String streamError() {
        return OpenAiJson.error("The server had an error while processing your request. Sorry about that!",
                "server_error", null, null).toString();
    }

    static String invalidJson() {
        return OpenAiJson.error("We could not parse the JSON body of your request. (HINT: This likely means you "
                + "aren't using your HTTP library correctly.)", "invalid_request_error", null, null).toString();
    }

    static String missingMessages() {
        return OpenAiJson.error("Missing required parameter: 'messages'.", "invalid_request_error", "messages",
                "missing_required_parameter").toString();
    }

    static String invalidUrl(String method, String path) {
        return OpenAiJson.error("Invalid URL (" + method + " " + path + ")", "invalid_request_error", null, null)
                .toString();
    }

    static String upstreamUnreachable(String reason) {
        return OpenAiJson.error("Chaos proxy could not reach the upstream: " + reason, "proxy_error", null,
                "upstream_unreachable").toString();
    }
}
