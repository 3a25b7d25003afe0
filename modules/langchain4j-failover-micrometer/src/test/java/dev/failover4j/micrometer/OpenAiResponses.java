package dev.failover4j.micrometer;

import mockwebserver3.MockResponse;

/** Canned OpenAI-compatible answers for MockWebServer (the core's test helpers are not published). */
final class OpenAiResponses {

    private OpenAiResponses() {}

    /** A chat completion reporting 12 prompt and 3 completion tokens. */
    static MockResponse ok(String text) {
        return json(200, """
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"served-model",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}""".formatted(text));
    }

    static MockResponse serverError() {
        return json(503, "{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\",\"code\":\"overloaded\"}}");
    }

    static MockResponse badRequest() {
        return json(400, "{\"error\":{\"message\":\"Invalid value for 'temperature': must be <= 2.\","
                + "\"type\":\"invalid_request_error\",\"code\":\"invalid_value\"}}");
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build();
    }
}
