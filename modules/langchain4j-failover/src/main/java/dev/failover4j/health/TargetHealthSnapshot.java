package dev.failover4j.health;

import dev.failover4j.CircuitState;
import dev.failover4j.SkipReason;
import java.time.Instant;

/**
 * A point-in-time view of one target's health, for dashboards, progress lines and probes.
 *
 * @param target              the target's name
 * @param circuitState        its breaker's state
 * @param openReason          why the breaker is open ({@code CIRCUIT_OPEN}, {@code AUTHENTICATION_FAILED},
 *                            {@code MODEL_NOT_FOUND}), or null when not open
 * @param openUntil           when an open breaker admits a trial call, or null when not open
 * @param rateLimitedUntil    when a 429 stops keeping the target out, or null when not rate-limited
 * @param consecutiveFailures failures counting against health since the last success
 * @param stats               latency, error rate, in-flight, tokens, cost and time per breaker state
 */
public record TargetHealthSnapshot(
        String target,
        CircuitState circuitState,
        SkipReason openReason,
        Instant openUntil,
        Instant rateLimitedUntil,
        int consecutiveFailures,
        TargetStats stats) {

    public TargetHealthSnapshot {
        stats = stats == null ? TargetStats.none() : stats;
    }

    /** A snapshot without stats (the form a {@code TargetState} gives; the group adds its stats). */
    public TargetHealthSnapshot(
            String target, CircuitState circuitState, SkipReason openReason, Instant openUntil, Instant rateLimitedUntil,
            int consecutiveFailures) {
        this(target, circuitState, openReason, openUntil, rateLimitedUntil, consecutiveFailures, null);
    }

    /** @return this snapshot with these stats */
    public TargetHealthSnapshot withStats(TargetStats stats) {
        return new TargetHealthSnapshot(target, circuitState, openReason, openUntil, rateLimitedUntil, consecutiveFailures, stats);
    }

    /** @return whether a call right now would be sent to this target (ignoring fitting) */
    public boolean available() {
        return circuitState != CircuitState.OPEN && rateLimitedUntil == null;
    }
}
