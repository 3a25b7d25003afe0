package dev.failover4j.internal;

import dev.failover4j.FailoverConfig;
import dev.failover4j.FailureKind;
import dev.failover4j.SkipReason;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.ExecutionContext;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.Timeout;
import dev.failsafe.TimeoutExceededException;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one call's attempts on one target through Failsafe:
 * {@code Timeout(time left) → RetryPolicy → CircuitBreaker → Timeout(attempt)}, outermost first.
 * The outer timeout enforces the call's deadline across retries and backoff sleeps; both timeouts
 * interrupt the attempt, which stops an {@code openAiCompatible} target's HTTP exchange.
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

    TargetCall(FailoverConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * @param attemptLimit how long one attempt may take (the attempt timeout; for streaming, the
     *                     first-token timeout), bounded by the time left
     */
    Result run(TargetRuntime target, ChatRequest request, CallContext call, Attempt<?> work, Duration attemptLimit) {
        Duration remaining = call.deadline().remaining();
        Timeout<Object> callTimeout = Timeout.builder(remaining).withInterrupt().build();
        Timeout<Object> attemptTimeout = Timeout.builder(
                        attemptLimit.compareTo(remaining) < 0 ? attemptLimit : remaining)
                .withInterrupt()
                .build();
        RetryPlan plan = new RetryPlan(config, call.deadline());
        RetryPolicy<Object> retry = RetryPolicy.builder()
                .handleIf(RetryPlan::isRetryable)
                .abortOn(CircuitBreakerOpenException.class)
                .abortIf((response, failure) -> plan.givenUp())
                .withMaxRetries(config.maxRetries())
                .withDelayFn(ctx -> plan.nextDelay(ctx.getLastException(), ctx.getAttemptCount()))
                .build();
        AtomicReference<AttemptFailure> lastFailure = new AtomicReference<>();
        try {
            Object response = Failsafe.with(callTimeout, retry, target.health().breaker(), attemptTimeout)
                    .get(ctx -> attempt(target, request, call, work, ctx, call.nextAttempt(target.name()), lastFailure));
            return Result.success(response);
        } catch (AttemptFailure failure) {
            return Result.failure(failure.classification(), failure.original());
        } catch (TimeoutExceededException timeout) {
            Classification c = new Classification(FailureKind.TIMEOUT, 0, null, timeout.getTimeout() == callTimeout
                    ? "deadline reached" : "attempt timeout of " + attemptTimeout.getConfig().getTimeout().toMillis() + " ms");
            return timeout.getTimeout() == callTimeout ? Result.deadline(c) : Result.failure(c, timeout);
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
            ExecutionContext<Object> ctx,
            int attempt,
            AtomicReference<AttemptFailure> lastFailure) {
        call.started(target.name(), attempt);
        long start = System.nanoTime();
        try {
            Object response = work.run(target, request);
            if (ctx.isCancelled()) { // answered after our timeout fired: Failsafe reports the timeout
                timedOut(target, call, attempt, start);
                return response;
            }
            if (work.endsWhenReturned()) {
                target.health().recordSuccess();
                call.succeeded(target.name(), attempt, since(start));
            }
            return response;
        } catch (RuntimeException e) {
            if (ctx.isCancelled()) {
                timedOut(target, call, attempt, start);
                throw e; // Failsafe reports its TimeoutExceededException instead
            }
            Classification c = ErrorClassifier.classify(e, clock.instant());
            target.health().recordFailure(c);
            call.failed(target.name(), attempt, c.kind(), c.detail(), since(start));
            AttemptFailure failure = new AttemptFailure(c, e);
            lastFailure.set(failure);
            throw failure;
        }
    }

    private static void timedOut(TargetRuntime target, CallContext call, int attempt, long start) {
        target.health().recordTimeout();
        call.failed(target.name(), attempt, FailureKind.TIMEOUT, "timed out", since(start));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
