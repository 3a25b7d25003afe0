package dev.failover4j;

/**
 * How a failed attempt was classified, and therefore what the failover model does next.
 *
 * <p>The table (also in the README):
 * <pre>
 * kind                     same target again      counts against health   next target
 * SERVER_ERROR             yes, with backoff      yes                     yes, after retries
 * MALFORMED_RESPONSE       yes, with backoff      yes                     yes, after retries
 * CONNECTION               once at most           yes                     yes
 * TIMEOUT                  once at most           yes                     yes
 * RATE_LIMITED             no (see below)         skipped until Retry-After  yes, at once
 * AUTHENTICATION           no                     disabled until a trial call succeeds  yes
 * MODEL_NOT_FOUND          no                     cool-down               yes
 * REGION_BLOCKED           no                     long cool-down          yes
 * PAYLOAD_TOO_LARGE        no                     no                      yes
 * CONTEXT_LENGTH_EXCEEDED  no                     no                      yes
 * CONTENT_FILTERED         no                     no                      yes
 * UNKNOWN                  no                     yes                     yes
 * INVALID_REQUEST          no                     no                      no: rethrown as is
 * INTERRUPTED              no                     no                      no: the call stops
 * </pre>
 * A rate-limited target is tried again within the same call only when no other target could serve
 * and its Retry-After still fits the call's deadline.
 */
public enum FailureKind {
    /** HTTP 5xx or LangChain4j's {@code InternalServerException} (also a 200 without choices). */
    SERVER_ERROR(SameTargetRetry.WITH_BACKOFF, true, true),
    /** The body could not be parsed (malformed or empty JSON). */
    MALFORMED_RESPONSE(SameTargetRetry.WITH_BACKOFF, true, true),
    /** Connection refused or reset, unknown host, closed before a response. */
    CONNECTION(SameTargetRetry.ONCE, true, true),
    /** The attempt timed out (our attempt timeout, the HTTP client's, or HTTP 408). */
    TIMEOUT(SameTargetRetry.ONCE, true, true),
    /** HTTP 429 / {@code RateLimitException}. */
    RATE_LIMITED(SameTargetRetry.NO, false, true),
    /** HTTP 401/403 / {@code AuthenticationException}, and a proxy's 407 (its credentials are this target's). */
    AUTHENTICATION(SameTargetRetry.NO, false, true),
    /** HTTP 404 / {@code ModelNotFoundException}. */
    MODEL_NOT_FOUND(SameTargetRetry.NO, false, true),
    /** HTTP 451: the provider refuses this region; it will not change soon. */
    REGION_BLOCKED(SameTargetRetry.NO, false, true),
    /** HTTP 413 from a gateway's body limit (JSON or an nginx HTML page): this target's limit, not the caller's fault. */
    PAYLOAD_TOO_LARGE(SameTargetRetry.NO, false, true),
    /** HTTP 400 saying the prompt exceeds the model's context window. */
    CONTEXT_LENGTH_EXCEEDED(SameTargetRetry.NO, false, true),
    /** The provider's content filter refused the request ({@code ContentFilteredException}). */
    CONTENT_FILTERED(SameTargetRetry.NO, false, true),
    /** Any other exception thrown by a target's model. */
    UNKNOWN(SameTargetRetry.NO, true, true),
    /** Any other 4xx, {@code InvalidRequestException}, {@code UnsupportedFeatureException}: the caller's request is wrong. */
    INVALID_REQUEST(SameTargetRetry.NO, false, false),
    /** The calling thread was interrupted. */
    INTERRUPTED(SameTargetRetry.NO, false, false);

    /** Whether, and how often, the same target is tried again after this failure. */
    public enum SameTargetRetry {
        /** Not again in this call. */
        NO,
        /** At most one more attempt. */
        ONCE,
        /** Up to the configured retries, with exponential backoff. */
        WITH_BACKOFF
    }

    private final SameTargetRetry sameTargetRetry;
    private final boolean countsAgainstHealth;
    private final boolean triesNextTarget;

    FailureKind(SameTargetRetry sameTargetRetry, boolean countsAgainstHealth, boolean triesNextTarget) {
        this.sameTargetRetry = sameTargetRetry;
        this.countsAgainstHealth = countsAgainstHealth;
        this.triesNextTarget = triesNextTarget;
    }

    /** @return whether the same target is tried again in this call */
    public SameTargetRetry sameTargetRetry() {
        return sameTargetRetry;
    }

    /** @return whether the failure is recorded by the target's circuit breaker */
    public boolean countsAgainstHealth() {
        return countsAgainstHealth;
    }

    /** @return whether the call moves on to the next target */
    public boolean triesNextTarget() {
        return triesNextTarget;
    }
}
