package dev.failover4j;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of a failover call: an attempt on a target (succeeded or failed) or a skipped target.
 *
 * @param target     the target's name
 * @param attempt    1-based attempt number on that target within the call (0 for a skip)
 * @param outcome    what happened
 * @param failure    the classification of a failed attempt, else {@code null}
 * @param skipReason why the target was skipped, else {@code null}
 * @param detail     a short human-readable description; secrets are redacted; never {@code null}
 * @param duration   how long the attempt took ({@link Duration#ZERO} for a skip)
 * @param error      what a failed attempt threw, as the provider's LangChain4j type (e.g.
 *                   {@code RateLimitException}) with any secret masked; {@code null} for other outcomes
 *                   and for failures we detected ourselves (a timeout, a stall)
 * @param retryAfter the {@code Retry-After} a failed attempt's response carried, else {@code null}
 */
public record FailoverAttempt(
        String target,
        int attempt,
        Outcome outcome,
        FailureKind failure,
        SkipReason skipReason,
        String detail,
        Duration duration,
        Throwable error,
        Duration retryAfter) {

    /** What happened to one attempt. */
    public enum Outcome {
        SUCCEEDED,
        FAILED,
        SKIPPED
    }

    public FailoverAttempt {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(duration, "duration");
        detail = detail == null ? "" : detail;
    }

    /** An attempt without error or Retry-After (the form before they were recorded). */
    public FailoverAttempt(
            String target, int attempt, Outcome outcome, FailureKind failure, SkipReason skipReason, String detail,
            Duration duration) {
        this(target, attempt, outcome, failure, skipReason, detail, duration, null, null);
    }

    public static FailoverAttempt succeeded(String target, int attempt, Duration duration) {
        return new FailoverAttempt(target, attempt, Outcome.SUCCEEDED, null, null, "ok", duration);
    }

    public static FailoverAttempt failed(String target, int attempt, FailureKind kind, String detail, Duration duration) {
        return failed(target, attempt, kind, detail, duration, null, null);
    }

    /** A failed attempt with what it threw (already redacted) and the Retry-After it carried, either may be null. */
    public static FailoverAttempt failed(
            String target, int attempt, FailureKind kind, String detail, Duration duration, Throwable error,
            Duration retryAfter) {
        return new FailoverAttempt(target, attempt, Outcome.FAILED, kind, null, detail, duration, error, retryAfter);
    }

    public static FailoverAttempt skipped(String target, SkipReason reason, String detail) {
        return new FailoverAttempt(target, 0, Outcome.SKIPPED, null, reason, detail, Duration.ZERO);
    }

    /** @return e.g. {@code "primary#2 FAILED SERVER_ERROR in 12 ms: HTTP 503 ..."} */
    @Override
    public String toString() {
        return switch (outcome) {
            case SUCCEEDED -> target + "#" + attempt + " SUCCEEDED in " + duration.toMillis() + " ms";
            case FAILED -> target + "#" + attempt + " FAILED " + failure + " in " + duration.toMillis() + " ms: "
                    + detail;
            case SKIPPED -> target + " SKIPPED " + skipReason + (detail.isEmpty() ? "" : ": " + detail);
        };
    }
}
