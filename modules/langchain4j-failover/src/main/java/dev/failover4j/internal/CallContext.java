package dev.failover4j.internal;

import dev.failover4j.ContextTooLargeException;
import dev.failover4j.FailoverAttempt;
import dev.failover4j.FailoverException;
import dev.failover4j.IncompleteResponseException;
import dev.langchain4j.model.output.TokenUsage;
import dev.failover4j.FailoverEvent;
import dev.failover4j.FailureKind;
import dev.failover4j.SkipReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The record of one call: its id, deadline, and every attempt and skip, each reported as an event
 * and logged (DEBUG per attempt, INFO for skips and failures that move the call on). All text
 * passes through the {@link Redactor} before it is stored, sent or logged.
 */
final class CallContext {


    /** Longest attempt detail kept: enough for a provider's error message, short enough for a log line. */
    static final int MAX_DETAIL = 300;

    private final long callId;
    private final Deadline deadline;
    private final ListenerNotifier notifier;
    private final Redactor redactor;
    private final TrafficLog traffic;
    /** The sync or the streaming model's logger, so a call's lines go under the model that made it. */
    private final Logger log;
    private final long startNanos = System.nanoTime();
    /** When a stream first delivered text; 0 before (written and read by the call's own thread). */
    private long firstTokenNanos;
    /** Guarded by itself: a streaming call's record is written by its orchestrating thread. */
    private final List<FailoverAttempt> attempts = new ArrayList<>(2);
    /** Attempt numbers per target: the first target's in two fields (the usual call tries one), the rest in a map. */
    private String firstTarget;
    private int firstTargetAttempts;
    private Map<String, Integer> otherTargetAttempts;

    CallContext(long callId, Deadline deadline, ListenerNotifier notifier, Redactor redactor, TrafficLog traffic, Logger log) {
        this.callId = callId;
        this.deadline = deadline;
        this.notifier = notifier;
        this.redactor = redactor;
        this.traffic = traffic;
        this.log = log;
    }

    public long callId() {
        return callId;
    }

    public Deadline deadline() {
        return deadline;
    }

    public Redactor redactor() {
        return redactor;
    }

    public List<FailoverAttempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    int attemptCount() {
        synchronized (attempts) {
            return attempts.size();
        }
    }

    private void record(FailoverAttempt attempt) {
        synchronized (attempts) {
            attempts.add(attempt);
        }
    }

    /** @return the next attempt number on a target within this call (1, 2, ...) */
    synchronized int nextAttempt(String target) {
        if (firstTarget == null) {
            firstTarget = target;
        }
        if (firstTarget.equals(target)) {
            return ++firstTargetAttempts;
        }
        if (otherTargetAttempts == null) {
            otherTargetAttempts = new HashMap<>();
        }
        return otherTargetAttempts.merge(target, 1, Integer::sum);
    }

    /** @return the latest attempt number on a target within this call (0 before any) */
    synchronized int lastAttempt(String target) {
        if (target.equals(firstTarget)) {
            return firstTargetAttempts;
        }
        return otherTargetAttempts == null ? 0 : otherTargetAttempts.getOrDefault(target, 0);
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    // The healthy path's two events are built only when someone listens, and its DEBUG lines only when enabled
    // (SLF4J's varargs methods box and allocate before they look at the level).

    void started(String target, int attempt) {
        if (log.isDebugEnabled()) {
            log.debug("call {}: attempt {} on '{}'", callId, attempt, target);
        }
        if (!notifier.isEmpty()) {
            notifier.notify(new FailoverEvent.AttemptStarted(callId, target, attempt));
        }
    }

    void succeeded(String target, int attempt, Duration duration) {
        record(FailoverAttempt.succeeded(target, attempt, duration));
        if (log.isDebugEnabled()) {
            log.debug("call {}: '{}' answered in {} ms", callId, target, duration.toMillis());
        }
        if (!notifier.isEmpty()) {
            notifier.notify(new FailoverEvent.AttemptSucceeded(callId, target, attempt, duration));
        }
    }

    void failed(String target, int attempt, Classification failure, Throwable error, Duration duration) {
        failed(target, attempt, failure, "", error, duration);
    }

    /**
     * Records a failed attempt. The detail is redacted before it is folded to one line and shortened (a key cut
     * in half would no longer be recognised); what the target threw is kept as its public, redacted type.
     *
     * @param prefix our own words before the provider's detail (e.g. how much of a stream was delivered)
     */
    void failed(String target, int attempt, Classification failure, String prefix, Throwable error, Duration duration) {
        FailureKind kind = failure.kind();
        String safe = shorten(prefix + redactor.redact(failure.detail()));
        record(FailoverAttempt.failed(target, attempt, kind, safe, duration, redactor.publicCopy(error), failure.retryAfter()));
        traffic.failed(target, kind);
        if (kind == FailureKind.AUTHENTICATION) {
            log.warn("target '{}' rejected the credentials (HTTP {}); it is disabled until a trial call or probe succeeds: {}",
                    target, failure.httpStatus(), safe);
        } else if (log.isDebugEnabled()) {
            log.debug("call {}: attempt {} on '{}' failed: {} {}", callId, attempt, target, kind, safe);
        }
        notifier.notify(new FailoverEvent.AttemptFailed(callId, target, attempt, kind, safe, duration));
    }

    /** One line of at most {@value #MAX_DETAIL} characters. */
    static String shorten(String text) {
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "…";
    }

    public void skipped(String target, SkipReason reason, String detail) {
        String safe = redactor.redact(detail);
        record(FailoverAttempt.skipped(target, reason, safe));
        traffic.skipped(target, reason);
        if (log.isDebugEnabled()) {
            log.debug("call {}: skipped '{}': {} {}", callId, target, reason, safe);
        }
        notifier.notify(new FailoverEvent.TargetSkipped(callId, target, reason, safe));
    }

    void notify(FailoverEvent event) {
        notifier.notify(event);
    }

    void failingOver(String target, FailureKind kind) {
        if (log.isDebugEnabled()) {
            log.debug("call {}: target '{}' failed ({}); trying the next target", callId, target, kind);
        }
    }

    /** Logs at DEBUG which target served after which failures and skips (per-call routing; summaries go to INFO). */
    void served(String target) {
        if (!log.isDebugEnabled()) {
            return;
        }
        List<FailoverAttempt> before = attempts().stream().filter(a -> a.outcome() != FailoverAttempt.Outcome.SUCCEEDED).toList();
        if (!before.isEmpty()) {
            log.debug("call {}: served by '{}' after {}", callId, target, FailoverExecutor.summary(before));
        }
    }

    /** A target's token ratio moved noticeably: logged at INFO (rare) and reported as an event. */
    void tokenRatioChanged(String target, TokenCalibration.Move move) {
        log.info("target '{}' counts {} tokens per token of ours (was {}, {} samples)", target,
                String.format(java.util.Locale.ROOT, "%.2f", move.to()), String.format(java.util.Locale.ROOT, "%.2f", move.from()),
                move.samples());
        notifier.notify(new FailoverEvent.TokenRatioChanged(callId, target, move.from(), move.to(), move.samples()));
    }

    /** Marks the first text a stream delivered to the caller (the first mark counts). */
    void firstToken() {
        if (firstTokenNanos == 0) {
            firstTokenNanos = System.nanoTime();
        }
    }

    /** The call was served: its one end event (built only when someone listens). */
    void callSucceeded(String target, TokenUsage usage, java.math.BigDecimal cost) {
        if (notifier.isEmpty()) {
            return;
        }
        List<FailoverAttempt> all = attempts();
        notifier.notify(new FailoverEvent.CallSucceeded(callId, target, elapsed(), attemptsMade(all), all.size() > 1, usage, cost,
                firstTokenNanos == 0 ? null : Duration.ofNanos(firstTokenNanos - startNanos)));
    }

    /** The call ended without an answer, with {@code error} (thrown or given to a stream's handler): its one end event. */
    void callFailed(Throwable error) {
        if (notifier.isEmpty()) {
            return;
        }
        FailoverEvent.CallFailed.Reason reason;
        if (error instanceof ContextTooLargeException) {
            reason = FailoverEvent.CallFailed.Reason.CONTEXT_TOO_LARGE;
        } else if (error instanceof IncompleteResponseException) {
            reason = FailoverEvent.CallFailed.Reason.INCOMPLETE;
        } else if (error instanceof FailoverException failover) {
            reason = failover.interrupted() ? FailoverEvent.CallFailed.Reason.INTERRUPTED : FailoverEvent.CallFailed.Reason.EXHAUSTED;
        } else if (error instanceof Error) {
            reason = FailoverEvent.CallFailed.Reason.ERROR;
        } else {
            reason = FailoverEvent.CallFailed.Reason.REJECTED;
        }
        notifier.notify(new FailoverEvent.CallFailed(callId, reason, elapsed(), attemptsMade(attempts())));
    }

    /** The caller cancelled the stream: its one end event. */
    void callCancelled() {
        if (!notifier.isEmpty()) {
            notifier.notify(new FailoverEvent.CallFailed(callId, FailoverEvent.CallFailed.Reason.CANCELLED, elapsed(),
                    attemptsMade(attempts())));
        }
    }

    private static int attemptsMade(List<FailoverAttempt> attempts) {
        int made = 0;
        for (FailoverAttempt attempt : attempts) {
            if (attempt.outcome() != FailoverAttempt.Outcome.SKIPPED) {
                made++;
            }
        }
        return made;
    }

    /** A call every target failed: one WARN per interval with its detail, the rest counted (see {@link TrafficLog}). */
    void exhausted(String message) {
        traffic.exhausted("call " + callId + ": " + message);
    }

    Logger log() {
        return log;
    }
}
