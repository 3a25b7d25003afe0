package dev.failover4j.support;

import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;

/** Canned OpenAI-compatible responses and faults for MockWebServer. */
public final class OpenAiResponses {

    private OpenAiResponses() {}

    public static MockResponse ok(String text) {
        return json(200, """
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"served-model",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}""".formatted(text));
    }

    /** @return a {@code GET /v1/models} listing of these model ids */
    public static MockResponse models(String... ids) {
        StringBuilder data = new StringBuilder();
        for (String id : ids) {
            data.append(data.length() == 0 ? "" : ",").append("""
                    {"id":"%s","object":"model","created":1700000000,"owned_by":"test"}""".formatted(id));
        }
        return json(200, "{\"object\":\"list\",\"data\":[" + data + "]}");
    }

    public static MockResponse error(int status, String type, String code, String message) {
        return json(status, """
                {"error":{"message":"%s","type":"%s","param":null,"code":"%s"}}""".formatted(message, type, code));
    }

    public static MockResponse serverError() {
        return error(503, "server_error", "overloaded", "The server is overloaded");
    }

    public static MockResponse rateLimited(String retryAfter) {
        MockResponse.Builder builder = new MockResponse.Builder().code(429).setHeader("Content-Type", "application/json");
        if (retryAfter != null) {
            builder.setHeader("Retry-After", retryAfter);
        }
        return builder.body("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")
                .build();
    }

    public static MockResponse unauthorized() {
        return error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided");
    }

    public static MockResponse modelNotFound() {
        return error(404, "invalid_request_error", "model_not_found", "The model does not exist");
    }

    public static MockResponse contextLengthExceeded() {
        return error(400, "invalid_request_error", "context_length_exceeded",
                "This model's maximum context length is 4096 tokens. However, your messages resulted in 5000 tokens.");
    }

    /** A context-length 400 that states no numbers (Ollama's wording): nothing to learn from, so no retry. */
    public static MockResponse contextLengthExceededWithoutNumbers() {
        return error(400, "invalid_request_error", "invalid_request", "input length exceeds the context length");
    }

    public static MockResponse contentFiltered() {
        return error(400, "invalid_request_error", "content_filter",
                "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.");
    }

    public static MockResponse badRequest() {
        return error(400, "invalid_request_error", "invalid_value", "Invalid value for 'temperature': must be <= 2.");
    }

    public static MockResponse malformed() {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":").build();
    }

    public static MockResponse errorBodyWith200() {
        return json(200, "{\"error\":{\"message\":\"upstream failed\",\"type\":\"server_error\",\"code\":500}}");
    }

    public static MockResponse hang() {
        return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
    }

    public static MockResponse dropConnection() {
        return new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
    }

    public static MockResponse slowOk(String text, long millis) {
        return new MockResponse.Builder(ok(text)).headersDelay(millis, TimeUnit.MILLISECONDS).build();
    }

    /** One SSE chunk of {@code text}, then the finish reason with usage (7 prompt, 2 completion tokens), then [DONE]. */
    public static MockResponse streamOk(String text) {
        String chunk = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}\n\n";
        String end = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9}}\n\ndata: [DONE]\n\n";
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream").body(chunk + end).build();
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build();
    }
}
