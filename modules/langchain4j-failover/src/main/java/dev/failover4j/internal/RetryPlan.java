package dev.failover4j.internal;

import dev.failover4j.FailoverConfig;
import dev.failover4j.FailureKind;
import dev.failsafe.TimeoutExceededException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Same-target retry decisions for one target within one call, consulted by the Failsafe
 * {@code RetryPolicy}: which failures are retried, how long to wait (Retry-After when given, else
 * exponential backoff with jitter), and when to give up instead of waiting, because connection
 * faults and timeouts get {@code maxConnectionRetries} at most, or because the wait does not fit the deadline.
 *
 * <p>Why not Failsafe's own backoff and jitter: Failsafe jitters computed delays too, which would
 * move a Retry-After earlier than the provider asked. Not thread-safe: one per call and target.
 */
final class RetryPlan {

    private final FailoverConfig config;
    private final Deadline deadline;
    private int oneShotRetries;
    private boolean givenUp;

    RetryPlan(FailoverConfig config, Deadline deadline) {
        this.config = config;
        this.deadline = deadline;
    }

    /** @return whether Failsafe should treat the failure as retryable on the same target */
    static boolean isRetryable(Throwable failure) {
        return kindOf(failure) != null && kindOf(failure).sameTargetRetry() != FailureKind.SameTargetRetry.NO;
    }

    /** Called by Failsafe after each retryable failure; may decide to give up instead. */
    Duration nextDelay(Throwable failure, int failedAttempts) {
        FailureKind kind = kindOf(failure);
        if (kind != null && kind.sameTargetRetry() == FailureKind.SameTargetRetry.ONCE
                && ++oneShotRetries > config.maxConnectionRetries()) {
            givenUp = true;
            return Duration.ZERO;
        }
        Duration retryAfter = failure instanceof AttemptFailure f ? f.classification().retryAfter() : null;
        Duration delay = retryAfter != null ? min(retryAfter, config.maxRetryAfter()) : backoff(failedAttempts);
        if (!deadline.fits(delay)) {
            givenUp = true;
            return Duration.ZERO;
        }
        return delay;
    }

    /** @return whether the last {@link #nextDelay} call decided to stop retrying this target */
    boolean givenUp() {
        return givenUp;
    }

    Duration backoff(int failedAttempts) {
        double base = config.initialBackoff().toMillis() * Math.pow(config.backoffFactor(), Math.max(0, failedAttempts - 1));
        double capped = Math.min(base, config.maxBackoff().toMillis());
        double jitter = config.jitter() == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-config.jitter(), config.jitter());
        return Duration.ofMillis(Math.max(0, Math.round(capped * (1 + jitter))));
    }

    private static FailureKind kindOf(Throwable failure) {
        if (failure instanceof AttemptFailure f) {
            return f.classification().kind();
        }
        return failure instanceof TimeoutExceededException ? FailureKind.TIMEOUT : null;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
