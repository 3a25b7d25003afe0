package dev.failover4j;

import dev.failover4j.internal.Validation;
import java.time.Duration;

/**
 * Background health checks of a group's targets, off the request path (off by default): every
 * {@link #interval()}, each target whose breaker is open (after failures, a 401/403, a 404 or a 451) gets one
 * check, bounded by the attempt timeout: its {@link HealthCheck} — {@code GET {baseUrl}/models} for
 * {@code openAiCompatible} targets (no tokens billed; a listing without the target's model fails) — or else a
 * one-token chat. A success counts as a half-open trial success — the breaker closes by its own rule
 * ({@code halfOpenSuccessThreshold}), not by a reset; a failure keeps the target out. A probe of an open target
 * never runs beside a last-resort trial. Without {@link #includeHealthy()} no request is sent to a target the
 * breaker admits user calls to; with it, such a target is checked too, for the alerts only. {@link #failuresBeforeAlert()} failed checks or calls in a row raise
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
    private final boolean includeHealthy;

    private Probes(Duration interval, int failuresBeforeAlert, boolean includeHealthy) {
        this.interval = Validation.requirePositive(interval, "probe interval");
        this.failuresBeforeAlert = Validation.requirePositive(failuresBeforeAlert, "failuresBeforeAlert");
        this.includeHealthy = includeHealthy;
    }

    /** @return probes of open targets every {@code interval} */
    public static Probes every(Duration interval) {
        return new Probes(interval, DEFAULT_FAILURES_BEFORE_ALERT, false);
    }

    /** @return these probes raising {@link FailoverEvent.TargetDown} after {@code failures} in a row */
    public Probes failuresBeforeAlert(int failures) {
        return new Probes(interval, failures, includeHealthy);
    }

    /**
     * @return these probes checking every target each round, the healthy ones too (e.g. every 30 s), so that a
     *         provider that dies while no call goes to it (a fallback, an idle hour) raises
     *         {@link FailoverEvent.TargetDown} before a user finds it. A healthy target's checks feed only the
     *         alerts: its breaker follows user calls, so a check never takes it out of service.
     */
    public Probes includeHealthy() {
        return new Probes(interval, failuresBeforeAlert, true);
    }

    /** @return whether every target is checked each round, not only those whose breaker is open */
    public boolean includesHealthy() {
        return includeHealthy;
    }

    public Duration interval() {
        return interval;
    }

    public int failuresBeforeAlert() {
        return failuresBeforeAlert;
    }

    @Override
    public String toString() {
        return "Probes{every " + interval + (includeHealthy ? ", all targets" : "") + ", alert after " + failuresBeforeAlert
                + " failures}";
    }
}
