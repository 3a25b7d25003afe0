package dev.failover4j.internal;

import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverListener;
import dev.failover4j.FailureKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a target's run of failed calls or checks into one {@link FailoverEvent.TargetDown} (after
 * {@code threshold} in a row) and its first success afterwards into one {@link FailoverEvent.TargetRecovered}.
 * Fed by the calls' attempt events and by the probes. Thread-safe.
 */
final class AlertTracker implements FailoverListener {

    private final int threshold;
    private final Clock clock;
    private final ListenerNotifier notifier;
    private final Redactor redactor;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    /** One target's current run of failures. Guarded by itself. */
    private static final class Run {
        int failures;
        Instant since;
        boolean down;
    }

    AlertTracker(int threshold, Clock clock, ListenerNotifier notifier, Redactor redactor) {
        this.threshold = threshold;
        this.clock = clock;
        this.notifier = notifier;
        this.redactor = redactor;
    }

    @Override
    public void onEvent(FailoverEvent event) {
        if (event instanceof FailoverEvent.AttemptSucceeded succeeded) {
            succeeded(succeeded.callId(), succeeded.target());
        } else if (event instanceof FailoverEvent.AttemptFailed failed && saysDown(failed.failure())) {
            failed(failed.callId(), failed.target(), failed.detail());
        }
    }

    private static boolean saysDown(FailureKind kind) {
        return kind.countsAgainstHealth() || kind == FailureKind.AUTHENTICATION || kind == FailureKind.MODEL_NOT_FOUND
                || kind == FailureKind.REGION_BLOCKED;
    }

    void failed(long callId, String target, String detail) {
        Run run = runs.computeIfAbsent(target, t -> new Run());
        FailoverEvent alert = null;
        synchronized (run) {
            if (run.failures++ == 0) {
                run.since = clock.instant();
            }
            if (!run.down && run.failures >= threshold) {
                run.down = true;
                alert = new FailoverEvent.TargetDown(callId, target, run.since, redactor.redact(CallContext.shorten(detail)));
            }
        }
        if (alert != null) {
            notifier.notify(alert);
        }
    }

    void succeeded(long callId, String target) {
        Run run = runs.get(target);
        if (run == null) {
            return; // the healthy path: nothing to reset
        }
        FailoverEvent alert = null;
        synchronized (run) {
            if (run.down) {
                alert = new FailoverEvent.TargetRecovered(callId, target, Duration.between(run.since, clock.instant()));
            }
            run.failures = 0;
            run.down = false;
        }
        runs.remove(target, run);
        if (alert != null) {
            notifier.notify(alert);
        }
    }
}
