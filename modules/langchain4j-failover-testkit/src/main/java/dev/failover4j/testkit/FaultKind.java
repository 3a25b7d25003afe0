package dev.failover4j.testkit;

/**
 * What a {@link Fault} does to a request. Used as the key of the per-kind fault counters in
 * {@link ChaosStats}.
 */
public enum FaultKind {
    /** Any HTTP status with an OpenAI-style error body ({@link Fault#httpStatus(int)}). */
    HTTP_STATUS,
    /** 429 with or without {@code Retry-After} ({@link Fault#rateLimited()}). */
    RATE_LIMITED,
    /** Extra delay before the response headers ({@link Fault#latency(java.time.Duration)}). */
    LATENCY,
    /** The request is read but no response is ever sent ({@link Fault#hang()}). */
    HANG,
    /** The socket is closed after the request is read ({@link Fault#dropConnection()}). */
    DROP_CONNECTION,
    /** 200 with a truncated JSON body ({@link Fault#malformedJson()}). */
    MALFORMED_JSON,
    /** 200 with an empty body ({@link Fault#emptyBody()}). */
    EMPTY_BODY,
    /** 200 whose body is an OpenAI error object ({@link Fault#errorBodyWith200()}). */
    ERROR_BODY_WITH_200,
    /** 400 {@code context_length_exceeded}: a fault or the server's own context window. */
    CONTEXT_LENGTH_EXCEEDED,
    /** 400 Azure-style {@code content_filter} ({@link Fault#contentFiltered()}). */
    CONTENT_FILTERED,
    /** 401 {@code invalid_api_key} ({@link Fault#authenticationFailed()}). */
    AUTHENTICATION_FAILED,
    /** 404 {@code model_not_found} ({@link Fault#modelNotFound()}). */
    MODEL_NOT_FOUND,
    /** A stream whose connection is closed after some chunks ({@link Fault#streamCutAfter(int)}). */
    STREAM_CUT,
    /** A stream that goes silent after some chunks ({@link Fault#streamStallAfter(int)}). */
    STREAM_STALL,
    /** A stream with an error event after some chunks ({@link Fault#streamErrorEventAfter(int)}). */
    STREAM_ERROR_EVENT;

    /** Whether this kind only applies to streaming chat requests ({@code "stream": true}). */
    public boolean isStreamFault() {
        return this == STREAM_CUT || this == STREAM_STALL || this == STREAM_ERROR_EVENT;
    }
}
