package dev.failover4j.redis.internal;

import dev.failover4j.CircuitState;
import dev.failover4j.SkipReason;
import dev.failover4j.health.TargetHealthSnapshot;
import java.time.Instant;

/**
 * What the fleet knows about one target, as this replica last heard it (immutable; times on the group's clock,
 * computed from the remaining TTLs Redis reported, so replicas' clocks need not agree). A target the fleet knows
 * nothing about has no view at all ({@code null}), which is what keeps the healthy path to one volatile read.
 *
 * @param down             whether the fleet's breaker is not closed: open until {@code openUntil}, half-open after
 * @param reason           why it is open (a {@code SkipReason} of the breaker kind), when {@code down}
 * @param openUntil        when its open phase ends ({@link Instant#MIN} when not down)
 * @param rateLimitedUntil when a shared 429 stops keeping it out ({@link Instant#MIN} when none)
 */
record FleetView(boolean down, SkipReason reason, Instant openUntil, Instant rateLimitedUntil) {

    static final FleetView NOTHING = new FleetView(false, null, Instant.MIN, Instant.MIN);

    /** @return null when this view says nothing (the form stored, so admission needs no clock) */
    static FleetView orNull(FleetView view) {
        return view == null || (!view.down && view.rateLimitedUntil == Instant.MIN) ? null : view;
    }

    static FleetView of(FleetView view) {
        return view == null ? NOTHING : view;
    }

    FleetView opened(SkipReason why, Instant until) {
        if (down && reason == why && openUntil.isAfter(until)) {
            return this; // already out for longer
        }
        return new FleetView(true, why, until, rateLimitedUntil);
    }

    /** The open phase is over (a probe or a last-resort trial answered): half-open, trials decide. */
    FleetView halfOpen(Instant now) {
        return down ? new FleetView(true, reason, now, rateLimitedUntil) : this;
    }

    FleetView closed() {
        return new FleetView(false, null, Instant.MIN, rateLimitedUntil);
    }

    FleetView rateLimited(Instant until) {
        return until.isAfter(rateLimitedUntil) ? new FleetView(down, reason, openUntil, until) : this;
    }

    FleetView withoutRateLimit() {
        return new FleetView(down, reason, openUntil, Instant.MIN);
    }

    /** @return the fleet's breaker state at {@code now} */
    CircuitState state(Instant now) {
        if (!down) {
            return CircuitState.CLOSED;
        }
        return now.isBefore(openUntil) ? CircuitState.OPEN : CircuitState.HALF_OPEN;
    }

    /** @return {@code here} (the local state's snapshot) with what this view adds: a longer opening, a later 429 */
    TargetHealthSnapshot over(TargetHealthSnapshot here, Instant now) {
        CircuitState fleetState = state(now);
        boolean openLonger = fleetState == CircuitState.OPEN
                && (here.circuitState() != CircuitState.OPEN || openUntil.isAfter(here.openUntil()));
        Instant limitedUntil = here.rateLimitedUntil();
        if (now.isBefore(rateLimitedUntil) && (limitedUntil == null || rateLimitedUntil.isAfter(limitedUntil))) {
            limitedUntil = rateLimitedUntil;
        }
        return new TargetHealthSnapshot(here.target(), ShownState.worse(here.circuitState(), fleetState),
                openLonger ? reason : here.openReason(), openLonger ? openUntil : here.openUntil(), limitedUntil,
                here.consecutiveFailures());
    }
}
