package dev.failover4j.internal;

import dev.failover4j.FailoverConfig;
import dev.failover4j.FailureKind;
import dev.failover4j.SkipReason;
import dev.failover4j.spi.AttemptResult;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Runs one call's attempts on one target. The first attempt runs as is; a retryable failure hands the
 * retries to a Failsafe {@link RetryPolicy} (built once, thread-safe), whose delay function and abort
 * condition read the call's {@link RetryPlan} from the failure itself. Each attempt takes a permit from the
 * target's {@link TargetState} right before it is sent and reports how it ended there, once (the one write
 * path); each is bounded by {@code min(attempt timeout, time left)} by an {@link AttemptTimer} that
 * interrupts it, which stops an {@code openAiCompatible} target's HTTP exchange.
 *
 * <p>Why the first attempt runs outside Failsafe: a healthy call then builds no Failsafe execution at all
 * (internal/package-info.java). The retries after it are exactly what a policy of {@code maxRetries} would
 * have made: the first backoff is the plan's delay after one failure, then Failsafe runs
 * {@code maxRetries - 1} more with the plan's delays for two, three... failures.
 */
final class TargetCall {

    /** How a target's turn in a call ended: exactly one of these. */
    sealed interface Outcome {
        /** It answered (for a stream: its first token came). */
        record Served(Object response) implements Outcome {}

        /** It failed; {@code error} is what it threw, or null for a failure we detected (a timeout). */
        record Failed(Classification failure, Throwable error) implements Outcome {}

        /** It was not called: its half-open breaker had no trial permit left. */
        record Skipped(SkipReason reason) implements Outcome {}
    }

    /** Thrown inside the retry policy when the breaker gives no permit for a retry: stops retrying. */
    private static final class NoPermit extends RuntimeException {
        private static final NoPermit INSTANCE = new NoPermit();

        private NoPermit() {
            super("no permit", null, false, false);
        }
    }

    private final FailoverConfig config;
    private final Clock clock;
    private final AttemptTimer timer = AttemptTimer.shared();
    private final RetryPolicy<Object> retries;

    TargetCall(FailoverConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.retries = RetryPolicy.builder()
                .handleIf(RetryPlan::isRetryable)
                .abortOn(NoPermit.class)
                .abortIf((response, failure) -> failure instanceof AttemptFailure f && f.plan().givenUp())
                .withMaxRetries(Math.max(0, config.maxRetries() - 1))
                // one attempt failed before the policy's first execution
                .withDelayFn(ctx -> ((AttemptFailure) ctx.getLastException()).plan()
                        .nextDelay(ctx.getLastException(), ctx.getAttemptCount() + 1))
                .build();
    }

    /**
     * @param attemptLimit how long one attempt may take (the attempt timeout; for streaming, the
     *                     first-token timeout), bounded by the time left
     */
    Outcome run(TargetRuntime target, ChatRequest request, int counted, CallContext call, Attempt<?> work, Duration attemptLimit) {
        if (!target.state().tryAcquirePermit()) {
            return new Outcome.Skipped(SkipReason.CIRCUIT_OPEN);
        }
        Outcome first = attempt(target, request, counted, call, work, attemptLimit, false);
        if (!(first instanceof Outcome.Failed failed) || config.maxRetries() == 0
                || failed.failure().kind().sameTargetRetry() == FailureKind.SameTargetRetry.NO) {
            return first;
        }
        RetryPlan plan = new RetryPlan(config, call.deadline());
        AttemptFailure firstFailure = new AttemptFailure(failed.failure(), failed.error(), plan);
        Duration backoff = plan.nextDelay(firstFailure, 1);
        if (plan.givenUp()) {
            return first;
        }
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Failed(new Classification(FailureKind.INTERRUPTED, 0, null, "interrupted during backoff"), e);
        }
        return retry(target, request, counted, call, work, attemptLimit, plan, firstFailure);
    }

    private Outcome retry(
            TargetRuntime target,
            ChatRequest request,
            int counted,
            CallContext call,
            Attempt<?> work,
            Duration attemptLimit,
            RetryPlan plan,
            AttemptFailure firstFailure) {
        AttemptFailure[] last = {firstFailure};
        try {
            Object response = Failsafe.with(retries).get(() -> {
                if (!target.state().tryAcquirePermit()) {
                    throw NoPermit.INSTANCE; // opened by this call's own failures, or trials taken by others
                }
                Outcome outcome = attempt(target, request, counted, call, work, attemptLimit, false);
                if (outcome instanceof Outcome.Failed failed) {
                    last[0] = new AttemptFailure(failed.failure(), failed.error(), plan);
                    throw last[0];
                }
                return ((Outcome.Served) outcome).response();
            });
            return new Outcome.Served(response);
        } catch (AttemptFailure | NoPermit stopped) {
            return new Outcome.Failed(last[0].classification(), last[0].original()); // the failure that stopped it
        } catch (FailsafeException wrapped) {
            Throwable cause = wrapped.getCause() != null ? wrapped.getCause() : wrapped;
            return new Outcome.Failed(ErrorClassifier.classify(cause, clock.instant()), cause);
        }
    }

    /**
     * Runs a target's turn, as {@link #run} does (a permit, the first attempt, retries), on {@code executor} instead of
     * the caller's thread; the handle cancels it. A turn cancelled before it starts makes no request. Only hedged
     * calls use this: the healthy path without hedging runs on the caller's thread.
     */
    CancellableAttempt start(
            TargetRuntime target, ChatRequest request, int counted, CallContext call, Attempt<?> work, Duration attemptLimit, Executor executor) {
        CancellableAttempt handle = new CancellableAttempt();
        executor.execute(() -> {
            if (!handle.enter()) {
                handle.exit(new Outcome.Failed(new Classification(FailureKind.INTERRUPTED, 0, null, "cancelled before it started"), null));
                return;
            }
            Outcome result;
            try {
                result = run(target, request, counted, call, work, attemptLimit);
            } catch (RuntimeException | Error e) {
                handle.exit(new Outcome.Failed(ErrorClassifier.classify(e, clock.instant()), e));
                throw e;
            }
            handle.exit(result);
        });
        return handle;
    }

    /** One attempt outside the breaker's permits and with no retry: a last-resort trial on an open target. */
    Outcome runLastResort(TargetRuntime target, ChatRequest request, int counted, CallContext call, Attempt<?> work, Duration attemptLimit) {
        return attempt(target, request, counted, call, work, attemptLimit, true);
    }

    /**
     * One attempt, reported to the call's record and (when it ends here) to the target's state.
     *
     * @throws Error what the target's code threw, unchanged, after the attempt's timer is disarmed
     */
    private Outcome attempt(
            TargetRuntime target, ChatRequest request, int counted, CallContext call, Attempt<?> work, Duration attemptLimit, boolean lastResort) {
        int attempt = call.nextAttempt(target.name());
        Duration left = call.deadline().remaining();
        boolean deadlineBound = left.compareTo(attemptLimit) <= 0;
        Duration limit = deadlineBound ? left : attemptLimit;
        call.started(target.name(), attempt);
        long start = System.nanoTime();
        target.started();
        AttemptTimer.Armed armed = timer.arm(limit);
        Object response;
        try {
            response = work.run(target, request);
        } catch (Throwable e) {
            boolean timedOut = armed.disarm(); // before anything else: nothing of this attempt may interrupt the caller later
            if (e instanceof Error error) {
                report(target, call, counted, lastResort, new AttemptResult.Abandoned(since(start)));
                throw error; // a bug in the target's code, not an outage: unchanged, not counted, nothing else tried
            }
            Classification c = timedOut
                    ? new Classification(FailureKind.TIMEOUT, 0, null,
                            deadlineBound ? "deadline reached" : "attempt timeout of " + limit.toMillis() + " ms")
                    : ErrorClassifier.classify(e, clock.instant());
            Duration duration = since(start);
            call.failed(target.name(), attempt, c, e, duration); // the attempt first, then what it did to the breaker
            report(target, call, counted, lastResort, c.kind() == FailureKind.INTERRUPTED ? new AttemptResult.Abandoned(duration)
                    : new AttemptResult.Failure(c.kind(), duration, c.retryAfter()));
            return new Outcome.Failed(c, e);
        }
        armed.disarm(); // an answer that raced the timer is still an answer
        if (work.endsWhenReturned()) {
            Duration duration = since(start);
            report(target, call, counted, lastResort, new AttemptResult.Success(duration,
                    response instanceof ChatResponse chat ? chat.tokenUsage() : null));
            call.succeeded(target.name(), attempt, duration);
        }
        return new Outcome.Served(response);
    }

    /** @param counted our exact count of the prompt sent (-1 when fitting did not count it): teaches the token ratio */
    private static void report(TargetRuntime target, CallContext call, int counted, boolean lastResort, AttemptResult result) {
        target.record(result, call, counted, lastResort);
    }


    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
