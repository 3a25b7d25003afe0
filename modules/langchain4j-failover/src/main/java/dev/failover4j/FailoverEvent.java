package dev.failover4j;

import dev.langchain4j.model.output.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link FailoverListener} receives. Plain immutable values; no secrets in any field.
 *
 * <p>Each event names the target it concerns. {@code callId} numbers the calls of one failover
 * group (1, 2, 3 ...; its sync and streaming calls share one sequence) so that events of concurrent
 * calls can be told apart; breaker state changes carry the call that caused them, or 0 (an operator's
 * probe or reset). Every call ends with exactly one {@link CallSucceeded} or {@link CallFailed}.
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

    /**
     * A call was served: the end of every successful call, for metrics (emitted only when someone listens).
     *
     * @param target           the target that served it (for a continued stream: the one that finished it)
     * @param duration         the whole call, from its start to the answer (for a stream: to its end)
     * @param attempts         attempts made, the successful one included (skips not counted)
     * @param failedOver       whether anything failed or was skipped before the answer
     * @param tokenUsage       what the provider reported (for a continued stream: summed), or null
     * @param cost             the usage at the target's price, or null when it has none or no usage came
     * @param timeToFirstToken for a stream, from the call's start to the first text delivered; null for sync calls
     */
    record CallSucceeded(
            long callId,
            String target,
            Duration duration,
            int attempts,
            boolean failedOver,
            TokenUsage tokenUsage,
            BigDecimal cost,
            Duration timeToFirstToken)
            implements FailoverEvent {}

    /**
     * A call ended without an answer: the end of every failed call, for metrics.
     *
     * @param reason   why
     * @param duration the whole call
     * @param attempts attempts made (skips not counted)
     */
    record CallFailed(long callId, Reason reason, Duration duration, int attempts) implements FailoverEvent {

        /** Why a call ended without an answer. */
        public enum Reason {
            /** Every target failed or was skipped, or the deadline passed ({@link FailoverException}). */
            EXHAUSTED,
            /** The conversation fits no target's window ({@link ContextTooLargeException}), before any network call. */
            CONTEXT_TOO_LARGE,
            /** A target rejected the request as the caller's fault (a 400), rethrown as is. */
            REJECTED,
            /** The caller's thread was interrupted. */
            INTERRUPTED,
            /** A stream broke after text was delivered and could not be completed ({@link IncompleteResponseException}). */
            INCOMPLETE,
            /** A target's code threw an {@code Error}, which propagates unchanged. */
            ERROR,
            /** The caller cancelled the stream through its {@code StreamingHandle}. */
            CANCELLED
        }
    }

    /**
     * What a target counts per token of ours moved by more than 5 % (learned from its reported usage or from a
     * context-length error that stated its count): e.g. "llama-70b counts 1.6 × o200k". Fitting uses the new ratio.
     *
     * @param samples how many observations the ratio now rests on
     */
    record TokenRatioChanged(long callId, String target, double from, double to, long samples) implements FailoverEvent {}

    /**
     * A stream broke after text was delivered and the next target is asked to continue the answer
     * ({@link PartialResponsePolicy#CONTINUE}).
     *
     * @param target         the target whose stream broke
     * @param deliveredChars how much of the answer the handler already has
     */
    record StreamContinued(long callId, String target, FailureKind failure, int deliveredChars) implements FailoverEvent {}

    /**
     * A target failed {@code Probes.failuresBeforeAlert} checks or calls in a row: it is down. The hook for
     * Slack, PagerDuty or Opsgenie (see {@code Alerts}).
     *
     * @param since     when the first of those failures happened
     * @param lastError the last failure's redacted detail
     */
    record TargetDown(long callId, String target, java.time.Instant since, String lastError) implements FailoverEvent {}

    /** The first success of a target after {@link TargetDown}. */
    record TargetRecovered(long callId, String target, Duration downtime) implements FailoverEvent {}

    /**
     * A call's attempt on {@code primary} had not answered after {@code delay}: a hedged attempt started on
     * {@code target} beside it ({@link Hedging}).
     */
    record HedgeStarted(long callId, String target, String primary, Duration delay) implements FailoverEvent {}

    /**
     * The hedged attempt on {@code target} answered first (for a stream: its first token came first); the attempt on
     * {@code loser} was cancelled and is not counted as a failure of its target.
     */
    record HedgeWon(long callId, String target, String loser) implements FailoverEvent {}

    /** A canary ({@link CanaryRamp}) entered a step: it now gets {@code percent} % of its tier's calls. */
    record CanaryStepped(long callId, String target, int percent) implements FailoverEvent {}

    /**
     * A canary failed more than its ramp allows during a step and was rolled back to weight 0 (the other targets
     * of its tier got their weights back).
     */
    record CanaryRolledBack(long callId, String target, int percent, double errorRate, int attempts) implements FailoverEvent {}

    /** Every target failed or was skipped; the call throws {@link FailoverException}. */
    record FailoverExhausted(long callId, List<FailoverAttempt> attempts, Duration elapsed) implements FailoverEvent {
        public FailoverExhausted {
            attempts = List.copyOf(attempts);
        }
    }
}
