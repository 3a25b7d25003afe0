package dev.failover4j.internal;

import dev.failover4j.FailoverAttempt;
import dev.failover4j.FailoverChatResponseMetadata;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverEvent;
import dev.failover4j.ContextTooLargeException;
import dev.failover4j.FailoverException;
import dev.failover4j.FailureKind;
import dev.failover4j.FittingConfig;
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

    public FailoverExecutor(
            List<TargetRuntime> targets,
            FailoverConfig config,
            FittingConfig fitting,
            Clock clock,
            ListenerNotifier notifier,
            Redactor redactor,
            TrafficLog traffic,
            RoutingStrategy routing) {
        this.targets = List.copyOf(targets);
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
            ChatResponse response = withFailoverMetadata(served.target(), served.value(), call.attempts());
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
        for (TargetRuntime target : router.plan(request, fits, brokeInThisCall)) {
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
            TargetCall.Outcome outcome = targetCall.run(target, toSend, counted, call, attempt, attemptLimit);
            outcome = retriedIfCalibrated(outcome, target, request, fits, call, attempt, attemptLimit, toSend, counted);
            if (outcome instanceof TargetCall.Outcome.Served served) {
                return served(target, served, call, false, counted);
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
            return served(target, served, call, false, counted);
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
                return new LastResort<>(served(target, served, call, true, counted), null);
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
            TargetRuntime target, TargetCall.Outcome.Served result, CallContext call, boolean lastResort, int counted) {
        call.served(target.name());
        return new Served<>(target, (T) result.response(), call, lastResort, counted);
    }

    /** @return the response with {@link FailoverChatResponseMetadata} naming the target and the call's attempts */
    public static ChatResponse withFailoverMetadata(TargetRuntime target, ChatResponse response, List<FailoverAttempt> attempts) {
        return ChatResponse.builder()
                .aiMessage(response.aiMessage())
                .metadata(FailoverChatResponseMetadata.builder()
                        .targetMetadata(response.metadata())
                        .targetName(target.name())
                        .attempts(attempts)
                        .cost(costOf(target, response.tokenUsage()))
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
