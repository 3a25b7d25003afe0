package dev.failover4j.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One way an OpenAI-compatible endpoint misbehaves. Create with the static factories, then hand to
 * {@link ChaosEndpoint#inject(Fault)}, {@link ChaosEndpoint#injectNext(int, Fault)} or a
 * {@link FaultSchedule}.
 *
 * <p>How faults combine: {@linkplain #latency(Duration) latency} faults add up and delay whatever
 * answer the request gets; of the other faults, the first active one (injected faults in the order
 * injected, then scheduled faults in the order scheduled) that {@linkplain #withProbability(double)
 * fires} decides the answer. A fault that does not apply to a request (a stream fault on a
 * non-streaming request, a chat-only fault on {@code GET /v1/models}, a context-length fault on a
 * short prompt) is skipped without drawing a random number and without being counted.
 *
 * <p>Error bodies follow OpenAI's shape {@code {"error":{"message","type","param","code"}}}.
 * Immutable and thread-safe; {@link #withProbability(double)} returns a copy.
 */
public final class Fault {

    private final FaultKind kind;
    private final int status;
    private final Duration retryAfter;
    private final Instant retryAt;
    private final LatencyDistribution latency;
    private final int count;
    private final double probability;

    private Fault(FaultKind kind, int status, Duration retryAfter, Instant retryAt,
                  LatencyDistribution latency, int count, double probability) {
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
        this.retryAt = retryAt;
        this.latency = latency;
        this.count = count;
        this.probability = probability;
    }

    private static Fault of(FaultKind kind, int status) {
        return new Fault(kind, status, null, null, null, 0, 1.0);
    }

    /**
     * Answers with {@code status} and an OpenAI-style error body whose {@code type} matches the status
     * ({@code server_error} for 5xx, {@code invalid_request_error} for 4xx).
     *
     * @throws IllegalArgumentException if {@code status} is not in 400..599
     */
    public static Fault httpStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be in 400..599 but was " + status);
        }
        return of(FaultKind.HTTP_STATUS, status);
    }

    /** 429 {@code rate_limit_exceeded} without a {@code Retry-After} header. */
    public static Fault rateLimited() {
        return of(FaultKind.RATE_LIMITED, 429);
    }

    /**
     * 429 {@code rate_limit_exceeded} with {@code Retry-After: <seconds>} (rounded up to whole seconds).
     *
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     */
    public static Fault rateLimited(Duration retryAfter) {
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must be >= 0 but was " + retryAfter);
        }
        return new Fault(FaultKind.RATE_LIMITED, 429, retryAfter, null, null, 0, 1.0);
    }

    /** 429 {@code rate_limit_exceeded} with {@code Retry-After} in HTTP-date form (IMF-fixdate, GMT). */
    public static Fault rateLimitedUntil(Instant retryAt) {
        Objects.requireNonNull(retryAt, "retryAt");
        return new Fault(FaultKind.RATE_LIMITED, 429, null, retryAt, null, 0, 1.0);
    }

    /**
     * Delays the response headers by {@code delay} (on top of the server's base latency and other
     * latency faults). A delayed response is released at once when the server closes.
     */
    public static Fault latency(Duration delay) {
        return latency(LatencyDistribution.fixed(delay));
    }

    /** Delays the response by a log-normal sample with the given median and 99th percentile. */
    public static Fault latency(Duration median, Duration p99) {
        return latency(LatencyDistribution.logNormal(median, p99));
    }

    /** Delays the response by a sample of {@code distribution}. */
    public static Fault latency(LatencyDistribution distribution) {
        Objects.requireNonNull(distribution, "distribution");
        return new Fault(FaultKind.LATENCY, 0, null, null, distribution, 0, 1.0);
    }

    /** Reads the request and never answers: no status line, no headers, until the server closes. */
    public static Fault hang() {
        return of(FaultKind.HANG, 0);
    }

    /** Reads the request and closes the socket without answering (the client sees an I/O error). */
    public static Fault dropConnection() {
        return of(FaultKind.DROP_CONNECTION, 0);
    }

    /** 200 {@code application/json} whose body is a chat completion cut off mid-JSON. Chat only. */
    public static Fault malformedJson() {
        return of(FaultKind.MALFORMED_JSON, 200);
    }

    /** 200 {@code application/json} with an empty body. Chat only. */
    public static Fault emptyBody() {
        return of(FaultKind.EMPTY_BODY, 200);
    }

    /** 200 whose body is {@code {"error":{...,"type":"server_error"}}} (seen behind some gateways). Chat only. */
    public static Fault errorBodyWith200() {
        return of(FaultKind.ERROR_BODY_WITH_200, 200);
    }

    /**
     * 400 with OpenAI's {@code context_length_exceeded} body (or the endpoint's
     * {@link ContextLengthWording}) when the request's counted prompt tokens (by the endpoint's token
     * counting) exceed {@code tokens}; requests at or under the limit are not affected. Chat only.
     *
     * @throws IllegalArgumentException if {@code tokens} is not positive
     */
    public static Fault contextLengthAbove(int tokens) {
        if (tokens <= 0) {
            throw new IllegalArgumentException("tokens must be > 0 but was " + tokens);
        }
        return new Fault(FaultKind.CONTEXT_LENGTH_EXCEEDED, 400, null, null, null, tokens, 1.0);
    }

    /** 400 with Azure OpenAI's {@code content_filter} error body. Chat only. */
    public static Fault contentFiltered() {
        return of(FaultKind.CONTENT_FILTERED, 400);
    }

    /** 401 {@code invalid_api_key}. */
    public static Fault authenticationFailed() {
        return of(FaultKind.AUTHENTICATION_FAILED, 401);
    }

    /** 404 {@code model_not_found}, naming the requested model. Chat only. */
    public static Fault modelNotFound() {
        return of(FaultKind.MODEL_NOT_FOUND, 404);
    }

    /**
     * Streaming only: sends the first {@code chunks} SSE events, then closes the connection without
     * ending the chunked body. If the reply has fewer events, the cut comes just before {@code [DONE]}.
     * The cut comes 150 ms after the last event, because the JDK HTTP client drops data it has received
     * but not yet handed out when a connection fails, and the client should see the events sent.
     *
     * @throws IllegalArgumentException if {@code chunks} is negative
     */
    public static Fault streamCutAfter(int chunks) {
        return streamFault(FaultKind.STREAM_CUT, chunks);
    }

    /**
     * Streaming only: sends the first {@code chunks} SSE events, then goes silent (connection open) until
     * the server closes. If the reply has fewer events, the stall comes just before {@code [DONE]}.
     *
     * @throws IllegalArgumentException if {@code chunks} is negative
     */
    public static Fault streamStallAfter(int chunks) {
        return streamFault(FaultKind.STREAM_STALL, chunks);
    }

    /**
     * Streaming only: sends the first {@code chunks} SSE events, then
     * {@code event: error} / {@code data: {"error":{...,"type":"server_error"}}} and ends the body
     * (no {@code [DONE]}).
     *
     * @throws IllegalArgumentException if {@code chunks} is negative
     */
    public static Fault streamErrorEventAfter(int chunks) {
        return streamFault(FaultKind.STREAM_ERROR_EVENT, chunks);
    }

    private static Fault streamFault(FaultKind kind, int chunks) {
        if (chunks < 0) {
            throw new IllegalArgumentException("chunks must be >= 0 but was " + chunks);
        }
        return new Fault(kind, 200, null, null, null, chunks, 1.0);
    }

    /**
     * A copy that fires on each applicable request with probability {@code p} (drawn from the server's
     * seeded random), for "flaky but mostly healthy" endpoints. Default 1.0.
     *
     * @throws IllegalArgumentException if {@code p} is not in [0, 1]
     */
    public Fault withProbability(double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("probability must be in [0, 1] but was " + p);
        }
        return new Fault(kind, status, retryAfter, retryAt, latency, count, p);
    }

    /** What this fault does. */
    public FaultKind kind() {
        return kind;
    }

    /** The HTTP status the client sees, 0 for faults that send no status (latency, hang, drop). */
    public int status() {
        return status;
    }

    /** The probability this fault fires on an applicable request. */
    public double probability() {
        return probability;
    }

    /** {@code Retry-After} as seconds for {@link #rateLimited(Duration)}, otherwise {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** {@code Retry-After} as a date for {@link #rateLimitedUntil(Instant)}, otherwise {@code null}. */
    public Instant retryAt() {
        return retryAt;
    }

    /** The delay distribution of a latency fault, otherwise {@code null}. */
    public LatencyDistribution latency() {
        return latency;
    }

    /** The chunk count of a stream fault or the token limit of a context-length fault, otherwise 0. */
    public int threshold() {
        return count;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Fault[").append(kind);
        if (kind == FaultKind.HTTP_STATUS) {
            s.append(' ').append(status);
        }
        if (retryAfter != null) {
            s.append(" retryAfter=").append(retryAfter);
        }
        if (retryAt != null) {
            s.append(" retryAt=").append(retryAt);
        }
        if (latency != null) {
            s.append(' ').append(latency);
        }
        if (kind.isStreamFault() || kind == FaultKind.CONTEXT_LENGTH_EXCEEDED) {
            s.append(" threshold=").append(count);
        }
        if (probability < 1.0) {
            s.append(" p=").append(probability);
        }
        return s.append(']').toString();
    }
}
