package dev.failover4j;

import dev.failover4j.internal.Validation;
import java.time.Duration;

/**
 * Background health checks of a group's targets, off the request path (off by default): every
 * {@link #interval()}, each target whose breaker is open (after failures, a 401/403, a 404 or a 451) gets one
 * one-token chat, bounded by the attempt timeout. A success counts as a half-open trial success — the breaker
 * closes by its own rule ({@code halfOpenSuccessThreshold}), not by a reset; a failure keeps the target out. A
 * probe never sends a request while the breaker admits user calls to that target, and never runs beside a
 * last-resort trial. {@link #failuresBeforeAlert()} failed checks or calls in a row raise
 * {@link FailoverEvent.TargetDown}; the first success after it, {@link FailoverEvent.TargetRecovered}.
 * Given to {@code FailoverGroup.builder().probes(...)}; the group runs them on one daemon thread, stopped by
 * {@code close()}. In fleet mode (a shared {@code TargetStateFactory}) one replica probes a target per interval and
 * the others learn its result. Immutable.
 */
public final class Probes {

    /** Failed checks or calls in a row that make a target "down". */
    public static final int DEFAULT_FAILURES_BEFORE_ALERT = 3;

    private final Duration interval;
    private final int failuresBeforeAlert;

    private Probes(Duration interval, int failuresBeforeAlert) {
        this.interval = Validation.requirePositive(interval, "probe interval");
        this.failuresBeforeAlert = Validation.requirePositive(failuresBeforeAlert, "failuresBeforeAlert");
    }

    /** @return probes of open targets every {@code interval} */
    public static Probes every(Duration interval) {
        return new Probes(interval, DEFAULT_FAILURES_BEFORE_ALERT);
    }

    /** @return these probes raising {@link FailoverEvent.TargetDown} after {@code failures} in a row */
    public Probes failuresBeforeAlert(int failures) {
        return new Probes(interval, failures);
    }

    public Duration interval() {
        return interval;
    }

    public int failuresBeforeAlert() {
        return failuresBeforeAlert;
    }

    @Override
    public String toString() {
        return "Probes{every " + interval + ", alert after " + failuresBeforeAlert + " failures}";
    }
}
