package dev.failover4j.testkit.internal;

import dev.failover4j.testkit.ContextLengthWording;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.RecordedChatRequest;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Renders an answer-deciding (non-stream, non-latency) fault as a MockWebServer response. */
final class FaultResponses {

    /** IMF-fixdate (RFC 9110 §5.6.7); RFC_1123_DATE_TIME would drop the day's leading zero. */
    static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private FaultResponses() {
    }

    static MockResponse.Builder render(Fault fault, RecordedChatRequest request, String defaultModel,
                                       ContextLengthWording wording) {
        String model = request.model() != null ? request.model() : defaultModel;
        return switch (fault.kind()) {
            case HTTP_STATUS -> json(fault.status(), ErrorBodies.forStatus(fault.status()));
            case RATE_LIMITED -> {
                MockResponse.Builder b = json(429, ErrorBodies.rateLimited(model));
                if (fault.retryAfter() != null) {
                    long seconds = (fault.retryAfter().toMillis() + 999) / 1000;
                    b.setHeader("Retry-After", String.valueOf(seconds));
                } else if (fault.retryAt() != null) {
                    b.setHeader("Retry-After", HTTP_DATE.format(fault.retryAt()));
                }
                yield b;
            }
            case HANG -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE);
            case DROP_CONNECTION -> new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket());
            case MALFORMED_JSON -> {
                String valid = "{\"id\":\"chatcmpl-chaos\",\"object\":\"chat.completion\",\"model\":\"" + model
                        + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hel";
                yield json(200, valid);
            }
            case EMPTY_BODY -> json(200, "");
            case ERROR_BODY_WITH_200 -> json(200, ErrorBodies.serverErrorIn200());
            case CONTEXT_LENGTH_EXCEEDED -> json(400, ErrorBodies.contextLengthExceeded(
                    wording, fault.threshold(), request.promptTokens(), 0));
            case CONTENT_FILTERED -> json(400, ErrorBodies.contentFiltered());
            case AUTHENTICATION_FAILED -> json(401, ErrorBodies.authentication());
            case MODEL_NOT_FOUND -> json(404, ErrorBodies.modelNotFound(model));
            case LATENCY, STREAM_CUT, STREAM_STALL, STREAM_ERROR_EVENT ->
                    throw new IllegalArgumentException("not an answer-deciding fault: " + fault);
        };
    }

    static MockResponse.Builder json(int status, String body) {
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json")
                .body(body);
    }
}
