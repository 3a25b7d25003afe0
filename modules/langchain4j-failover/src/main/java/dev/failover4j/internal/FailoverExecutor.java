package dev.failover4j.internal;

import dev.failover4j.FailoverAttempt;
import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverEvent;
import dev.failover4j.ContextTooLargeException;
import dev.failover4j.FailoverException;
import dev.failover4j.FailureKind;
import dev.failover4j.FittingConfig;
import dev.failover4j.Hedging;
import dev.failover4j.RoutingStrategy;
import dev.failover4j.SkipReason;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The planning core shared by the failover models: for one request, which targets in what order,
 * which are skipped and why, how each failure moves the call on, all against one deadline.
 * Thread-safe; one instance per failover model.
 */
final class FailoverExecutor {

    private static final Logger log = LoggerFactory.getLogger("dev.failover4j.FailoverChatLanguageModel");
    private static final Logger streamLog = LoggerFactory.getLogger("dev.failover4j.FailoverStreamingChatLanguageModel");

    private final List<TargetRuntime> targets;
    private final FailoverConfig config;
    private final Clock clock;
    private final ListenerNotifier notifier;
    private final Redactor redactor;
    private final TrafficLog traffic;
    private final TargetCall targetCall;
    private final Router router;
    private final AtomicLong calls = new AtomicLong();
    /** Null when hedging is off: then every attempt runs on the caller's thread. */
    private final Hedger hedger;

    public FailoverExecutor(
            List<TargetRuntime> targets,
            FailoverConfig config,
            FittingConfig fitting,
            Clock clock,
            ListenerNotifier notifier,
            Redactor redactor,
            TrafficLog traffic,
            RoutingStrategy routing,
            Hedging hedging) {
        this.targets = List.copyOf(targets);
        this.hedger = hedging == null ? null : new Hedger(hedging, this.targets, clock);
        this.config = config;
        this.clock = clock;
        this.notifier = notifier;
        this.redactor = redactor;
        this.traffic = traffic;
        this.targetCall = new TargetCall(config, clock);
        this.router = new Router(this.targets, fitting, routing);
    }

    /** @return a new call record with its own id and deadline; one per caller request of the sync model */
    public CallContext newCall() {
        return new CallContext(calls.incrementAndGet(), new Deadline(clock, config.deadline()), notifier, redactor, traffic, log);
    }

    /** @return as {@link #newCall()}, for the streaming model: ids from the same sequence, lines under its logger */
    public CallContext newStreamingCall() {
        return new CallContext(calls.incrementAndGet(), new Deadline(clock, config.deadline()), notifier, redactor, traffic,
                streamLog);
    }

    /** The sync path: one call, attempts are {@code chatModel.chat(request)}. */
    public ChatResponse execute(ChatRequest request) {
        validate(request.messages());
        CallContext call = newCall();
        try {
            Served<ChatResponse> served = execute(call, request,
                    (target, fitted) -> answerOf(target.target().chatModel().chat(fitted)), config.attemptTimeout(), List.of());
            ChatResponse response = withFailoverMetadata(served.target(), served.value(), call.attempts(), served.hedged());
            call.callSucceeded(served.target().name(), response.tokenUsage(), ((FailoverChatResponseMetadata) response.metadata()).cost());
            return response;
        } catch (RuntimeException | Error e) {
            call.callFailed(e);
            throw e;
        }
    }

    /**
     * @return the response, when it is one
     * @throws MalformedAnswerException when the model returned null or a response without an AiMessage
     */
    static ChatResponse answerOf(ChatResponse response) {
        if (response == null) {
            throw new MalformedAnswerException("the model returned null instead of a ChatResponse");
        }
        if (response.aiMessage() == null) {
            throw new MalformedAnswerException("the model returned a ChatResponse without an AiMessage");
        }
        return response;
    }

    /**
     * Runs the planning loop: the targets in the {@link Router}'s plan,
     * skipped when unhealthy or too small, fitted, attempted through the Failsafe policies, until
     * one serves.
     *
     * @param attemptLimit how long one attempt may take before it counts as a timeout
     * @throws FailoverException when none served; the caller's own 400 as is
     */
    public <T> Served<T> execute(
            CallContext call, ChatRequest request, Attempt<T> attempt, Duration attemptLimit, List<TargetRuntime> brokeInThisCall) {
        List<TargetRuntime> rateLimited = null; // allocated only when needed: the healthy path skips nothing
        List<TargetRuntime> open = null;
        List<TargetRuntime> exhaustedBudgets = null;
        Fits fits = new Fits(targets);
        int tooSmall = 0;
        Throwable lastError = null;
        List<TargetRuntime> plan = router.plan(request, fits, brokeInThisCall);
        boolean mayHedge = hedger != null && plan.size() > 1; // one hedge per call at most
        if (mayHedge) {
            hedger.called();
        }
        TargetRuntime hedgedTarget = null;
        for (int at = 0; at < plan.size(); at++) {
            TargetRuntime target = plan.get(at);
            if (target == hedgedTarget) {
                continue; // tried beside an earlier target
            }
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(call, lastError);
            }
            if (call.deadline().expired()) {
                call.skipped(target.name(), SkipReason.DEADLINE_EXCEEDED, "deadline of " + config.deadline() + " reached");
                continue;
            }
            SkipReason skip = target.admission(call.callId());
            if (skip != null) {
                call.skipped(target.name(), skip, skipDetail(target, skip));
                if (skip == SkipReason.RATE_LIMITED) {
                    rateLimited = add(rateLimited, target);
                } else if (skip == SkipReason.CIRCUIT_OPEN) {
                    open = add(open, target);
                }
                continue;
            }
            TargetFitter.Fitted fitted = fits.of(target, request);
            if (!fitted.fits()) {
                tooSmall++;
                call.skipped(target.name(), SkipReason.CONTEXT_TOO_SMALL, target.fitter().tooSmallDetail(fitted));
                continue;
            }
            if (target.budget() != null && !target.budget().tryAcquire(budgetTokens(target, fitted))) {
                call.skipped(target.name(), SkipReason.BUDGET_EXHAUSTED, "requests or tokens per minute spent");
                exhaustedBudgets = add(exhaustedBudgets, target);
                continue;
            }
            if (fitted.truncated()) {
                truncated(target, fitted, call);
            }
            ChatRequest toSend = target.requestFor(fitted.request());
            int counted = fitted.countedPromptTokens();
            TargetCall.Outcome outcome;
            if (mayHedge) {
                Hedge<T> hedge = hedged(plan, at, target, toSend, counted, request, fits, call, attempt, attemptLimit);
                if (hedge.served() != null) {
                    return hedge.served();
                }
                if (hedge.hedgeTarget() != null) {
                    mayHedge = false;
                    hedgedTarget = hedge.hedgeTarget();
                    lastError = hedgeFailed(hedge, call, lastError);
                    if (hedge.hedgeOutcome() instanceof TargetCall.Outcome.Failed f && f.failure().kind() == FailureKind.RATE_LIMITED) {
                        rateLimited = add(rateLimited, hedgedTarget);
                    }
                }
                outcome = hedge.primary();
            } else {
                outcome = targetCall.run(target, toSend, counted, call, attempt, attemptLimit);
            }
            outcome = retriedIfCalibrated(outcome, target, request, fits, call, attempt, attemptLimit, toSend, counted);
            if (outcome instanceof TargetCall.Outcome.Served served) {
                return served(target, served, call, false, counted, false);
            }
            if (outcome instanceof TargetCall.Outcome.Skipped skipped) {
                call.skipped(target.name(), skipped.reason(), "breaker admitted no trial call");
                continue;
            }
            TargetCall.Outcome.Failed failed = (TargetCall.Outcome.Failed) outcome;
            lastError = failed.error() != null ? failed.error() : lastError;
            FailureKind kind = stopUnlessNextTarget(failed, call, lastError);
            if (kind == FailureKind.RATE_LIMITED) {
                rateLimited = add(rateLimited, target);
            }
            call.failingOver(target.name(), kind);
        }
        if (tooSmall == targets.size()) {
            throw contextTooLarge(call, fits);
        }
        if (open != null) {
            LastResort<T> trial = lastResortTrial(open, fits, request, call, attempt, attemptLimit);
            if (trial.served() != null) {
                return trial.served();
            }
            lastError = trial.error() != null ? trial.error() : lastError;
        }
        if (rateLimited != null) {
            Served<T> waited = retryRateLimited(rateLimited, fits, call, attempt, attemptLimit);
            if (waited != null) {
                return waited;
            }
        }
        if (exhaustedBudgets != null) {
            Served<T> waited = waitForBudget(exhaustedBudgets, fits, call, attempt, attemptLimit);
            if (waited != null) {
                return waited;
            }
        }
        throw exhausted(call, lastError);
    }

    /**
     * @return the tokens a budget is charged before the attempt: the prompt as fitted, in the target's tokens. When
     *         fitting did not need to count (its cheap bound fitted), a target with a tokens budget counts it: only
     *         targets with such a budget pay for it
     */
    private static int budgetTokens(TargetRuntime target, TargetFitter.Fitted fitted) {
        if (target.target().tokensPerMinute().isEmpty()) {
            return 0;
        }
        int counted = fitted.countedPromptTokens() >= 0 ? fitted.countedPromptTokens() : target.fitter().countExactly(fitted.request());
        return (int) Math.ceil(counted * target.fitter().calibration().ratio());
    }

    /**
     * When nothing else could serve, a target whose budget is spent is waited for, the earliest refill first, if
     * it refills before the deadline with time left for the attempt (the Retry-After rule).
     */
    private <T> Served<T> waitForBudget(
            List<TargetRuntime> exhaustedBudgets, Fits fits, CallContext call, Attempt<T> attempt, Duration attemptLimit) {
        for (TargetRuntime target : exhaustedBudgets) {
            TargetFitter.Fitted fitted = fits.get(target);
            Duration maxWait = call.deadline().remaining().minusMillis(1);
            Duration wait = fitted == null || maxWait.isNegative() ? null : target.budget().tryReserve(budgetTokens(target, fitted), maxWait);
            if (wait == null || !call.deadline().fits(wait)) {
                continue;
            }
            Served<T> served = waitThenTry(target, fitted, wait, "the budget of", call, attempt, attemptLimit);
            if (served != null) {
                return served;
            }
        }
        return null;
    }

    /**
     * Waits (never waking before {@code wait}: toMillis truncates) and tries {@code target} once more, as a last
     * resort of the call: after a Retry-After or a budget's refill.
     *
     * @return the served answer, or null when the target is still not admitted or failed again
     */
    private <T> Served<T> waitThenTry(
            TargetRuntime target, TargetFitter.Fitted fitted, Duration wait, String waitingFor, CallContext call,
            Attempt<T> attempt, Duration attemptLimit) {
        call.log().debug("call {}: every target failed; waiting {} ms for {} '{}'", call.callId(), wait.toMillis(), waitingFor,
                target.name());
        try {
            Thread.sleep(wait.toMillis() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(call, e);
        }
        if (target.admission(call.callId()) != null || fitted == null || !fitted.fits()) {
            return null;
        }
        int counted = fitted.countedPromptTokens();
        TargetCall.Outcome outcome = targetCall.run(target, target.requestFor(fitted.request()), counted, call, attempt, attemptLimit);
        if (outcome instanceof TargetCall.Outcome.Served served) {
            return served(target, served, call, false, counted, false);
        }
        if (outcome instanceof TargetCall.Outcome.Failed failed && failed.failure().kind() == FailureKind.INTERRUPTED) {
            throw interrupted(call, failed.error());
        }
        return null;
    }

    private static <E> List<E> add(List<E> list, E element) {
        List<E> result = list != null ? list : new ArrayList<>(2);
        result.add(element);
        return result;
    }

    /**
     * @return the kind of a failed attempt, when the call may move on after it
     * @throws RuntimeException the interrupt, or the caller's own 400 as is, when it may not
     */
    private FailureKind stopUnlessNextTarget(TargetCall.Outcome.Failed failed, CallContext call, Throwable lastError) {
        FailureKind kind = failed.failure().kind();
        if (kind == FailureKind.INTERRUPTED) {
            throw interrupted(call, lastError);
        }
        if (!kind.triesNextTarget()) {
            throw rethrowAsIs(failed.error(), redactor);
        }
        return kind;
    }

    /** What a last-resort trial came to: served, or the error it failed with (either may be null). */
    private record LastResort<T>(Served<T> served, Throwable error) {}

    /**
     * When no target could be called only because breakers are open, the call still gets one trial on the open
     * target closest to its own trial time (the one open longest), if no other call is trying it right now: a
     * blip on every provider then costs seconds, not a breaker delay, and a provider in a real outage sees at
     * most one such trial at a time. A success counts as a half-open success (the breaker closes by its own
     * rule). Targets disabled by 401/403/404/451 are never tried this way, and rate-limited ones keep their
     * Retry-After.
     */
    private <T> LastResort<T> lastResortTrial(
            List<TargetRuntime> open, Fits fits, ChatRequest request, CallContext call, Attempt<T> attempt, Duration attemptLimit) {
        open.sort(Comparator.comparing(t -> t.state().openRemaining()));
        for (TargetRuntime target : open) {
            TargetFitter.Fitted fitted = fits.of(target, request);
            if (call.deadline().expired() || !fitted.fits() || !target.state().tryAcquireLastResortPermit()) {
                continue;
            }
            if (call.log().isDebugEnabled()) {
                call.log().debug("call {}: no target admitted; last-resort trial on open '{}'", call.callId(), target.name());
            }
            int counted = fitted.countedPromptTokens();
            TargetCall.Outcome outcome = targetCall.runLastResort(target, target.requestFor(fitted.request()), counted, call,
                    attempt, attemptLimit);
            if (outcome instanceof TargetCall.Outcome.Served served) {
                return new LastResort<>(served(target, served, call, true, counted, false), null);
            }
            TargetCall.Outcome.Failed failed = (TargetCall.Outcome.Failed) outcome;
            stopUnlessNextTarget(failed, call, failed.error());
            return new LastResort<>(null, failed.error()); // one trial per call
        }
        return new LastResort<>(null, null);
    }

    public int targetCount() {
        return targets.size();
    }


    /**
     * When no other target could serve, a rate-limited target is tried once more if its
     * Retry-After passes before the deadline (the earliest first).
     */
    private <T> Served<T> retryRateLimited(
            List<TargetRuntime> rateLimited,
            Fits fits,
            CallContext call,
            Attempt<T> attempt,
            Duration attemptLimit) {
        rateLimited.sort(Comparator.comparing(t -> t.state().rateLimitRemaining()));
        for (TargetRuntime target : rateLimited) {
            Duration wait = target.state().rateLimitRemaining();
            if (!call.deadline().fits(wait)) {
                continue;
            }
            Served<T> served = waitThenTry(target, fits.get(target), wait, "rate-limited", call, attempt, attemptLimit);
            if (served != null) {
                return served;
            }
        }
        return null;
    }

    private static void truncated(TargetRuntime target, TargetFitter.Fitted fitted, CallContext call) {
        var result = fitted.result();
        call.log().debug("call {}: history for '{}' cut from {} to {} messages ({} -> {} tokens, budget {})", call.callId(),
                target.name(), result.messagesBefore(), result.messagesAfter(), result.tokensBefore(),
                result.tokensAfter(), result.budgetTokens());
        call.notify(new FailoverEvent.HistoryTruncated(call.callId(), target.name(), result.messagesBefore(),
                result.messagesAfter(), result.tokensBefore(), result.tokensAfter(), result.budgetTokens()));
    }

    private ContextTooLargeException contextTooLarge(CallContext call, Fits fits) {
        int required = fits.all().stream()
                .filter(f -> f.result() != null)
                .mapToInt(f -> f.result().requiredTokens())
                .max()
                .orElse(0);
        String windows = targets.stream()
                .map(t -> t.name() + ": " + t.fitter().tooSmallDetail(fits.get(t)))
                .collect(Collectors.joining("; "));
        String message = "The conversation does not fit any target's context window (system messages + newest turn"
                + (required > 0 ? " need at least " + required + " tokens" : "") + "); " + windows;
        call.exhausted(message);
        notifier.notify(new FailoverEvent.FailoverExhausted(call.callId(), call.attempts(), call.elapsed()));
        return new ContextTooLargeException(message, call.attempts());
    }

    @SuppressWarnings("unchecked")
    /**
     * A context-length 400 that states the prompt's size in the target's own tokens (or its real window) teaches
     * the target's calibration; then the request is fitted again and the same target tried once more, within the
     * deadline, before the call moves on (at most one extra request per target and call).
     */
    private TargetCall.Outcome retriedIfCalibrated(
            TargetCall.Outcome outcome, TargetRuntime target, ChatRequest request, Fits fits, CallContext call,
            Attempt<?> attempt, Duration attemptLimit, ChatRequest sent, int sentCounted) {
        if (!(outcome instanceof TargetCall.Outcome.Failed failed)
                || failed.failure().kind() != FailureKind.CONTEXT_LENGTH_EXCEEDED || failed.error() == null) {
            return outcome;
        }
        ProviderErrorPatterns.Stated stated = ErrorClassifier.statedContextNumbers(failed.error());
        if (!stated.any()) {
            return outcome;
        }
        int counted = sentCounted > 0 ? sentCounted : target.fitter().countExactly(sent);
        TokenCalibration.Learned learned = target.fitter().calibration().fromStated(counted, stated.promptTokens(),
                stated.windowTokens(), target.target().contextWindowTokens());
        if (learned.move() != null) {
            call.tokenRatioChanged(target.name(), learned.move());
        }
        if (!learned.anything() || call.deadline().expired()) {
            return outcome;
        }
        TargetFitter.Fitted refitted = target.fitter().fit(request);
        fits.replace(target, refitted);
        if (!refitted.fits()) {
            return outcome;
        }
        if (refitted.truncated()) {
            truncated(target, refitted, call);
        }
        TargetCall.Outcome retried = targetCall.run(target, target.requestFor(refitted.request()), refitted.countedPromptTokens(),
                call, attempt, attemptLimit);
        return retried instanceof TargetCall.Outcome.Skipped ? outcome : retried;
    }

    private <T> Served<T> served(
            TargetRuntime target, TargetCall.Outcome.Served result, CallContext call, boolean lastResort, int counted, boolean hedged) {
        call.served(target.name());
        return new Served<>(target, (T) result.response(), call, lastResort, counted, hedged);
    }

    /**
     * How a hedged turn ended: served (by either attempt), or the primary's outcome for the planning loop to handle
     * as usual, with the hedge's target and outcome when a hedge ran and failed too.
     */
    private record Hedge<T>(Served<T> served, TargetCall.Outcome primary, TargetRuntime hedgeTarget, TargetCall.Outcome hedgeOutcome) {
        static <T> Hedge<T> unhedged(TargetCall.Outcome primary) {
            return new Hedge<>(null, primary, null, null);
        }
    }

    /** A target ready for a hedge: admitted, fitted, its budget taken. */
    private record HedgeCandidate(TargetRuntime target, TargetFitter.Fitted fitted) {}

    /**
     * Runs {@code target}'s turn on a hedging thread; when it has not answered after the hedge delay, and the extra
     * load allows, starts the next admitted target of the plan beside it. The first answer wins, the other attempt
     * is cancelled (not counted against its target); a failure of one leaves the other running.
     */
    private <T> Hedge<T> hedged(List<TargetRuntime> plan, int at, TargetRuntime target, ChatRequest toSend, int counted,
            ChatRequest request, Fits fits, CallContext call, Attempt<T> attempt, Duration attemptLimit) {
        long start = System.nanoTime();
        CancellableAttempt first;
        try {
            first = targetCall.start(target, toSend, counted, call, attempt, attemptLimit, hedger.threads());
        } catch (RejectedExecutionException closing) { // the group is closing: no more hedges, the call goes on as usual
            return Hedge.unhedged(targetCall.run(target, toSend, counted, call, attempt, attemptLimit));
        }
        Duration delay = hedger.delayFor(target);
        TargetCall.Outcome early = await(first, delay, call, null);
        if (early == null && !call.deadline().expired()) {
            HedgeCandidate next = hedgeCandidate(plan, at + 1, request, fits, call);
            if (next != null) {
                return race(target, first, counted, next, delay, start, call, attempt, attemptLimit);
            }
        }
        TargetCall.Outcome outcome = early != null ? early : await(first, null, call, null);
        if (outcome instanceof TargetCall.Outcome.Served served) {
            hedger.answered(target, System.nanoTime() - start);
            return new Hedge<>(served(target, served, call, false, counted, false), outcome, null, null);
        }
        return Hedge.unhedged(outcome);
    }

    /** @return the first target after {@code from} that may take a hedge now (admitted, fits, within the cap and its budget) */
    private HedgeCandidate hedgeCandidate(List<TargetRuntime> plan, int from, ChatRequest request, Fits fits, CallContext call) {
        for (int i = from; i < plan.size(); i++) {
            TargetRuntime next = plan.get(i);
            if (next.admission(call.callId()) != null) {
                continue;
            }
            TargetFitter.Fitted fitted = fits.of(next, request);
            if (!fitted.fits()) {
                continue;
            }
            if (!hedger.tryHedge() || next.budget() != null && !next.budget().tryAcquire(budgetTokens(next, fitted))) {
                return null;
            }
            return new HedgeCandidate(next, fitted);
        }
        return null;
    }

    private <T> Hedge<T> race(TargetRuntime target, CancellableAttempt first, int counted, HedgeCandidate next, Duration delay,
            long start, CallContext call, Attempt<T> attempt, Duration attemptLimit) {
        TargetRuntime other = next.target();
        if (next.fitted().truncated()) {
            truncated(other, next.fitted(), call);
        }
        call.log().debug("call {}: '{}' has not answered after {} ms; hedging on '{}'", call.callId(), target.name(),
                delay.toMillis(), other.name());
        call.notify(new FailoverEvent.HedgeStarted(call.callId(), other.name(), target.name(), delay));
        int otherCounted = next.fitted().countedPromptTokens();
        CancellableAttempt second;
        try {
            second = targetCall.start(other, other.requestFor(next.fitted().request()), otherCounted, call, attempt,
                    attemptLimit, hedger.threads());
        } catch (RejectedExecutionException closing) {
            second = new CancellableAttempt();
            second.exit(new TargetCall.Outcome.Skipped(SkipReason.CIRCUIT_OPEN)); // never sent; the group is closing
        }
        TargetCall.Outcome a = null;
        TargetCall.Outcome b = null;
        while (true) {
            CompletableFuture<Object> either = a == null && b == null
                    ? CompletableFuture.anyOf(first.outcome(), second.outcome())
                    : CompletableFuture.anyOf(a == null ? first.outcome() : second.outcome());
            await(either, call, first, second);
            if (a == null && first.outcome().isDone()) {
                a = first.outcome().join();
                if (a instanceof TargetCall.Outcome.Served served) {
                    hedger.answered(target, System.nanoTime() - start);
                    drop(second, other, otherCounted, call, attempt);
                    return new Hedge<>(served(target, served, call, false, counted, false), a, null, null);
                }
            }
            if (b == null && second.outcome().isDone()) {
                b = second.outcome().join();
                if (b instanceof TargetCall.Outcome.Served served) {
                    // nothing learnt of the primary's latency: a lower bound would only push its percentile up, call
                    // after call (each win would record more than the delay), and keep later hedges from starting
                    drop(first, target, counted, call, attempt);
                    call.log().debug("call {}: the hedge on '{}' answered first", call.callId(), other.name());
                    call.notify(new FailoverEvent.HedgeWon(call.callId(), other.name(), target.name()));
                    return new Hedge<>(served(other, served, call, false, otherCounted, true), a, null, null);
                }
            }
            if (a != null && b != null) {
                return new Hedge<>(null, a, other, b);
            }
        }
    }

    /** Cancels a losing attempt; should it answer anyway, the answer is dropped (a stream stopped and recorded as abandoned). */
    private static void drop(CancellableAttempt loser, TargetRuntime target, int counted, CallContext call, Attempt<?> attempt) {
        loser.cancel();
        loser.outcome().thenAccept(outcome -> {
            if (outcome instanceof TargetCall.Outcome.Served served) {
                attempt.discard(target, served.response(), call, counted);
            }
        });
    }

    /** @return the attempt's outcome, or null when {@code within} (when given) passed first */
    private TargetCall.Outcome await(CancellableAttempt attempt, Duration within, CallContext call, CancellableAttempt other) {
        try {
            return within == null ? attempt.outcome().get() : attempt.outcome().get(within.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            attempt.cancel();
            throw interrupted(call, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a hedged attempt ended without an outcome", e.getCause());
        }
    }

    private void await(CompletableFuture<Object> either, CallContext call, CancellableAttempt first, CancellableAttempt second) {
        try {
            either.get();
        } catch (InterruptedException e) {
            first.cancel();
            second.cancel();
            throw interrupted(call, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a hedged attempt ended without an outcome", e.getCause());
        }
    }

    /** Records a failed hedge like any failed turn. @return the call's last error */
    private Throwable hedgeFailed(Hedge<?> hedge, CallContext call, Throwable lastError) {
        if (hedge.hedgeOutcome() instanceof TargetCall.Outcome.Skipped skipped) {
            call.skipped(hedge.hedgeTarget().name(), skipped.reason(), "breaker admitted no trial call");
            return lastError;
        }
        TargetCall.Outcome.Failed failed = (TargetCall.Outcome.Failed) hedge.hedgeOutcome();
        Throwable error = failed.error() != null ? failed.error() : lastError;
        call.failingOver(hedge.hedgeTarget().name(), stopUnlessNextTarget(failed, call, error));
        return error;
    }

    /** Stops the hedging threads, if any. */
    void close() {
        if (hedger != null) {
            hedger.close();
        }
    }

    /** @return the response with {@link FailoverChatResponseMetadata} naming the target and the call's attempts */
    public static ChatResponse withFailoverMetadata(
            TargetRuntime target, ChatResponse response, List<FailoverAttempt> attempts, boolean hedged) {
        return ChatResponse.builder()
                .aiMessage(response.aiMessage())
                .metadata(FailoverChatResponseMetadata.builder()
                        .targetMetadata(response.metadata())
                        .targetName(target.name())
                        .attempts(attempts)
                        .cost(costOf(target, response.tokenUsage()))
                        .hedged(hedged)
                        .build())
                .build();
    }

    /** @return the usage at the target's price, or null without a price or usage (computed once per answer) */
    static java.math.BigDecimal costOf(TargetRuntime target, dev.langchain4j.model.output.TokenUsage usage) {
        return usage == null || target.target().price().isEmpty() ? null : target.target().price().get().cost(usage);
    }

    public FailoverException exhausted(CallContext call, Throwable lastError) {
        List<FailoverAttempt> attempts = call.attempts();
        Duration elapsed = call.elapsed();
        String message = (call.deadline().expired() ? "Failover deadline of " + config.deadline().toMillis() + " ms reached"
                : "Every target failed or was skipped") + " after " + elapsed.toMillis() + " ms: " + summary(attempts);
        call.exhausted(message);
        notifier.notify(new FailoverEvent.FailoverExhausted(call.callId(), attempts, elapsed));
        return new FailoverException(message, attempts, redactor.publicCopy(lastError), false);
    }

    public FailoverException interrupted(CallContext call, Throwable lastError) {
        Thread.currentThread().interrupt();
        List<FailoverAttempt> attempts = call.attempts();
        return new FailoverException("Interrupted after " + call.elapsed().toMillis() + " ms"
                + (attempts.isEmpty() ? "" : ": " + summary(attempts)), attempts, redactor.publicCopy(lastError), true);
    }

    /** The caller's own 400, as thrown by the target, unless it quotes a secret or holds an internal type: then a public, masked copy. */
    private static RuntimeException rethrowAsIs(Throwable original, Redactor redactor) {
        return redactor.publicRuntimeCopy(
                original instanceof RuntimeException runtime ? runtime : new IllegalStateException(original));
    }

    /** Longest list of attempts in an exception message or log line; {@code attempts()} keeps them all. */
    static final int MAX_SUMMARY = 4_000;

    /** @return the attempts, one after another, cut after about {@value #MAX_SUMMARY} characters with how many more there were */
    static String summary(List<FailoverAttempt> attempts) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < attempts.size(); i++) {
            String next = attempts.get(i).toString();
            if (text.length() + next.length() > MAX_SUMMARY && i > 0) {
                int more = attempts.size() - i;
                return text.append("; … and ").append(more).append(more == 1 ? " more attempt" : " more attempts").toString();
            }
            text.append(i == 0 ? "" : "; ").append(next);
        }
        return text.toString();
    }

    private static String skipDetail(TargetRuntime target, SkipReason reason) {
        Duration left = reason == SkipReason.RATE_LIMITED ? target.state().rateLimitRemaining() : target.state().openRemaining();
        return "for another " + left.toMillis() + " ms";
    }

    private static void validate(List<ChatMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        Validation.requireNoNullElements(messages, "messages");
    }
}
