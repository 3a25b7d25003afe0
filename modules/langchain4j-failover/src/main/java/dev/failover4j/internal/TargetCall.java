package dev.failover4j.internal;

import dev.failover4j.FailoverConfig;
import dev.failover4j.FailureKind;
import dev.failover4j.SkipReason;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one call's attempts on one target through Failsafe: {@code RetryPolicy → CircuitBreaker},
 * outermost first. Each attempt is bounded by {@code min(attempt timeout, time left)} by an
 * {@link AttemptTimer} that interrupts it (which stops an {@code openAiCompatible} target's HTTP
 * exchange); {@link RetryPlan} refuses waits that do not fit the deadline, so the deadline holds
 * across retries and backoff sleeps. While the breaker is closed the first attempt runs before the
 * chain is built, and only a failure enters it.
 */
final class TargetCall {

    /** How a target's turn ended. Exactly one of response / failure / skip is set. */
    record Result(Object response, Classification failure, Throwable original, SkipReason skip, boolean deadlineExceeded) {
        static Result success(Object response) {
            return new Result(response, null, null, null, false);
        }

        static Result failure(Classification failure, Throwable original) {
            return new Result(null, failure, original, null, false);
        }

        static Result skipped(SkipReason reason) {
            return new Result(null, null, null, reason, false);
        }

        static Result deadline(Classification failure) {
            return new Result(null, failure, null, null, true);
        }
    }

    private final FailoverConfig config;
    private final Clock clock;
    private final AttemptTimer timer = new AttemptTimer();

    TargetCall(FailoverConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * @param attemptLimit how long one attempt may take (the attempt timeout; for streaming, the
     *                     first-token timeout), bounded by the time left
     */
    Result run(TargetRuntime target, ChatRequest request, CallContext call, Attempt<?> work, Duration attemptLimit) {
        AttemptFailure firstFailure = null;
        CircuitBreaker<Object> breaker = target.health().breaker();
        if (breaker.isClosed()) {
            // The healthy path: a closed breaker admits every call, so the first attempt needs none of Failsafe's
            // per-call machinery (≈ 15 µs of a 0.4 ms loopback call, docs/BENCHMARKS.md). A success is recorded as
            // Failsafe would record it; a failure is handed to the Failsafe chain below, which records it and retries.
            try {
                Object response = attempt(target, request, call, work, attemptLimit, call.nextAttempt(target.name()), null);
                recordSuccess(breaker);
                return Result.success(response);
            } catch (AttemptFailure failure) {
                firstFailure = failure;
            }
        }
        return runThroughFailsafe(target, request, call, work, attemptLimit, firstFailure);
    }

    /** One attempt, outside the breaker and with no retry: a last-resort trial on an open target. */
    Result runOnce(TargetRuntime target, ChatRequest request, CallContext call, Attempt<?> work, Duration attemptLimit) {
        try {
            return Result.success(attempt(target, request, call, work, attemptLimit, call.nextAttempt(target.name()), null));
        } catch (AttemptFailure failure) {
            return Result.failure(failure.classification(), failure.original());
        }
    }

    /**
     * Records a success on a closed breaker, unless its window already holds only successes: then one more
     * changes nothing (the last N results are the same either way, whatever comes next), and skipping it
     * spares every healthy call the breaker's lock.
     */
    private void recordSuccess(CircuitBreaker<Object> breaker) {
        if (breaker.getFailureCount() > 0 || breaker.getExecutionCount() < config.failureRateWindow()) {
            breaker.recordSuccess();
        }
    }

    /**
     * The Failsafe chain for everything but a closed breaker's first attempt.
     *
     * @param firstFailure the failure of a first attempt already made outside the chain; the chain's first
     *                     execution throws it (instead of calling the target) so the breaker counts it and the
     *                     retry policy acts on it exactly as if the chain had made that attempt
     */
    private Result runThroughFailsafe(
            TargetRuntime target,
            ChatRequest request,
            CallContext call,
            Attempt<?> work,
            Duration attemptLimit,
            AttemptFailure firstFailure) {
        AtomicReference<AttemptFailure> lastFailure = new AtomicReference<>(firstFailure);
        RetryPlan plan = new RetryPlan(config, call.deadline());
        RetryPolicy<Object> retry = RetryPolicy.builder()
                .handleIf(RetryPlan::isRetryable)
                .abortOn(CircuitBreakerOpenException.class)
                .abortIf((response, failure) -> plan.givenUp())
                .withMaxRetries(config.maxRetries())
                .withDelayFn(ctx -> plan.nextDelay(ctx.getLastException(), ctx.getAttemptCount()))
                .build();
        AtomicReference<AttemptFailure> replay = new AtomicReference<>(firstFailure);
        try {
            Object response = Failsafe.with(retry, target.health().breaker()).get(() -> {
                AttemptFailure already = replay.getAndSet(null);
                if (already != null) {
                    throw already;
                }
                return attempt(target, request, call, work, attemptLimit, call.nextAttempt(target.name()), lastFailure);
            });
            return Result.success(response);
        } catch (AttemptFailure failure) {
            return call.deadline().expired() && failure.classification().kind() == FailureKind.TIMEOUT
                    ? Result.deadline(failure.classification())
                    : Result.failure(failure.classification(), failure.original());
        } catch (CircuitBreakerOpenException open) {
            // Opened by this call's own failures: report the failure that opened it, not a skip.
            AttemptFailure last = lastFailure.get();
            return last == null ? Result.skipped(SkipReason.CIRCUIT_OPEN) : Result.failure(last.classification(), last.original());
        } catch (FailsafeException wrapped) {
            Classification c = ErrorClassifier.classify(wrapped, clock.instant());
            return Result.failure(c, wrapped.getCause() != null ? wrapped.getCause() : wrapped);
        }
    }

    private Object attempt(
            TargetRuntime target,
            ChatRequest request,
            CallContext call,
            Attempt<?> work,
            Duration attemptLimit,
            int attempt,
            AtomicReference<AttemptFailure> lastFailure) {
        Duration left = call.deadline().remaining();
        boolean deadlineBound = left.compareTo(attemptLimit) <= 0;
        Duration limit = deadlineBound ? left : attemptLimit;
        call.started(target.name(), attempt);
        long start = System.nanoTime();
        AttemptTimer.Armed armed = timer.arm(limit);
        Object response;
        try {
            response = work.run(target, request);
        } catch (Throwable e) {
            boolean timedOut = armed.disarm(); // before anything else: nothing of this attempt may interrupt the caller later
            if (e instanceof Error error) {
                throw error; // a bug in the target's code, not an outage: unchanged, not counted, nothing else tried
            }
            Classification c = timedOut
                    ? new Classification(FailureKind.TIMEOUT, 0, null,
                            deadlineBound ? "deadline reached" : "attempt timeout of " + limit.toMillis() + " ms")
                    : ErrorClassifier.classify(e, clock.instant());
            throw failed(target, call, attempt, start, lastFailure, e, c);
        }
        armed.disarm(); // an answer that raced the timer is still an answer
        if (work.endsWhenReturned()) {
            target.health().recordSuccess();
            call.succeeded(target.name(), attempt, since(start));
        }
        return response;
    }

    private static AttemptFailure failed(
            TargetRuntime target,
            CallContext call,
            int attempt,
            long start,
            AtomicReference<AttemptFailure> lastFailure,
            Throwable error,
            Classification c) {
        call.failed(target.name(), attempt, c, error, since(start)); // the attempt first, then what it did to the breaker
        target.health().recordFailure(c);
        AttemptFailure failure = new AttemptFailure(c, error);
        if (lastFailure != null) {
            lastFailure.set(failure);
        }
        return failure;
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
