package dev.failover4j;

/** Why a target was not called. Every skip is reported as a {@link FailoverEvent.TargetSkipped}. */
public enum SkipReason {
    /** Its circuit breaker is open after repeated failures (or half-open with no trial permit left). */
    CIRCUIT_OPEN,
    /** It answered 401/403; disabled until a trial call after the breaker delay, or a probe, succeeds. */
    AUTHENTICATION_FAILED,
    /** It answered 404 for the model; cooling down. */
    MODEL_NOT_FOUND,
    /** It answered 451 (unavailable for legal reasons, e.g. a region block); cooling down for long. */
    REGION_BLOCKED,
    /** It answered 429; skipped until its Retry-After passes. */
    RATE_LIMITED,
    /** Its requests- or tokens-per-minute budget is spent; skipped until it refills (waited for only when nothing else can serve). */
    BUDGET_EXHAUSTED,
    /** Even the system messages and the newest turn do not fit its context window. */
    CONTEXT_TOO_SMALL,
    /** The call's overall deadline passed before this target could be tried. */
    DEADLINE_EXCEEDED
}
