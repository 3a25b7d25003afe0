package dev.failover4j;

import java.time.Duration;
import java.util.List;

/**
 * What a {@link FailoverListener} receives. Plain immutable values; no secrets in any field.
 *
 * <p>Each event names the target it concerns. {@code callId} numbers the calls of one failover
 * model (1, 2, 3 ...) so that events of concurrent calls can be told apart; breaker state changes
 * carry the call during which the change was observed, or 0.
 */
public sealed interface FailoverEvent {

    /** @return the call this event belongs to (0 when not tied to a call) */
    long callId();

    /** An attempt on a target is about to be sent. */
    record AttemptStarted(long callId, String target, int attempt) implements FailoverEvent {}

    /** An attempt returned a response. */
    record AttemptSucceeded(long callId, String target, int attempt, Duration duration) implements FailoverEvent {}

    /** An attempt failed; {@code detail} is redacted. */
    record AttemptFailed(long callId, String target, int attempt, FailureKind failure, String detail, Duration duration)
            implements FailoverEvent {}

    /** A target was not called. */
    record TargetSkipped(long callId, String target, SkipReason reason, String detail) implements FailoverEvent {}

    /** A target's circuit breaker changed state. */
    record CircuitStateChanged(long callId, String target, CircuitState from, CircuitState to)
            implements FailoverEvent {}

    /** The history was shortened to fit a target's context window. */
    record HistoryTruncated(
            long callId,
            String target,
            int messagesBefore,
            int messagesAfter,
            int tokensBefore,
            int tokensAfter,
            int budgetTokens)
            implements FailoverEvent {}

    /** Every target failed or was skipped; the call throws {@link FailoverException}. */
    record FailoverExhausted(long callId, List<FailoverAttempt> attempts, Duration elapsed) implements FailoverEvent {
        public FailoverExhausted {
            attempts = List.copyOf(attempts);
        }
    }
}
