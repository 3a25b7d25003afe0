package dev.failover4j.redis.internal;

import dev.failover4j.CircuitState;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailureKind;
import dev.failover4j.SkipReason;
import dev.failover4j.health.TargetHealthSnapshot;
import dev.failover4j.spi.AttemptResult;
import dev.failover4j.spi.InMemoryTargetState;
import dev.failover4j.spi.TargetState;
import dev.failover4j.spi.TargetStateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One target's state in fleet mode: this replica's {@link InMemoryTargetState} is the local truth, and a
 * {@link FleetView} of what the other replicas shared overlays it. A call is admitted only when both admit it.
 *
 * <p>The healthy path (a closed target nobody shared anything about) reads one volatile field more than the
 * in-memory state and never touches Redis. What is shared, asynchronously, through {@link Fleet}: a local breaker
 * opening (failures, 401/403, 404, 451), each failure counting against health (the fleet opens the breaker on the
 * replica whose failure reaches the threshold), 429 cool-downs, trial outcomes, operator resets. What is received
 * (pub/sub, or a sync) changes only the view; the local state changes only by this replica's own attempts, but for
 * an operator's reset, which is fleet-wide. After the fleet's open phase one replica at a time holds the trial
 * ({@link FleetTrial}); when Redis is unavailable, known openings still run out and the rest is local.
 *
 * <p>Breaker events reach the group's listener as transitions of the combined state (the worse of local and fleet).
 */
final class FleetTargetState implements TargetState {

    private final String target;
    private final FailoverConfig config;
    private final Clock clock;
    private final Fleet fleet;
    private final FleetKeys keys;
    private final ShownState shown;
    private final InMemoryTargetState local;
    private final FleetTrial trial;
    /** Null while the fleet says nothing about this target: the healthy path's only extra read. */
    private volatile FleetView view;
    /**
     * Resets this replica published that have not come back on the channel yet: until they do, its own earlier
     * messages still on their way (an opening, a 429) are stale and must not undo the reset it already applied.
     */
    private final java.util.concurrent.atomic.AtomicInteger ownResetsInFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** Whether a failure was counted fleet-wide since this replica's last success (so that a success clears the count). */
    private volatile boolean failuresShared;

    FleetTargetState(TargetStateFactory.Context context, Fleet fleet, FleetKeys keys) {
        this.target = context.target();
        this.config = context.config();
        this.clock = context.clock();
        this.fleet = fleet;
        this.keys = keys;
        this.shown = new ShownState(context.listener());
        this.trial = new FleetTrial(config.halfOpenSuccessThreshold(), trialLease(config));
        this.local = new InMemoryTargetState(new TargetStateFactory.Context(target, config, clock, this::localTransition));
    }

    /** Long enough for a trial call, short enough that a holder that gets no traffic does not keep the others out for long. */
    private static Duration trialLease(FailoverConfig config) {
        Duration delay = config.breakerDelay().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : config.breakerDelay();
        return delay.compareTo(config.attemptTimeout()) > 0 ? config.attemptTimeout() : delay;
    }

    String target() {
        return target;
    }

    FleetKeys keys() {
        return keys;
    }

    FailoverConfig config() {
        return config;
    }

    long trialLeaseMillis() {
        return trial.lease().toMillis();
    }

    @Override
    public SkipReason admission() {
        FleetView v = view;
        if (v == null) {
            return local.admission(); // the healthy path
        }
        SkipReason fleetSays = fleetAdmission(v);
        return fleetSays != null ? fleetSays : local.admission();
    }

    private SkipReason fleetAdmission(FleetView v) {
        Instant now = clock.instant();
        if (v.down()) {
            if (now.isBefore(v.openUntil())) {
                return v.reason();
            }
            refreshShown();
            if (fleet.usable() && !trial.mayTry(now, epoch -> fleet.claimTrial(this, epoch))) {
                return v.reason(); // another replica holds the trial, or the claim is under way
            }
        }
        if (now.isBefore(v.rateLimitedUntil())) {
            return SkipReason.RATE_LIMITED;
        }
        if (v.rateLimitedUntil() != Instant.MIN) {
            update(FleetView::withoutRateLimit);
        }
        return null;
    }

    @Override
    public boolean tryAcquirePermit() {
        FleetView v = view;
        if (v == null || !v.down()) {
            return local.tryAcquirePermit();
        }
        if (clock.instant().isBefore(v.openUntil())) {
            return false; // a retry after the fleet opened meanwhile
        }
        if (!fleet.usable()) {
            return local.tryAcquirePermit();
        }
        if (!trial.tryPermit()) {
            return false;
        }
        if (local.tryAcquirePermit()) {
            return true;
        }
        trial.endPermit();
        trial.returnPermit();
        return false;
    }

    @Override
    public void record(AttemptResult result) {
        local.record(result);
        FleetView v = view;
        if (v != null && v.down() && trial.endPermit()) {
            trialEnded(result);
        }
        share(result, v);
    }

    /** The outcome of an attempt that held a fleet trial permit. */
    private void trialEnded(AttemptResult result) {
        if (result instanceof AttemptResult.Success) {
            if (trial.succeeded()) {
                trial.reset();
                update(FleetView::closed);
                fleet.closeBreaker(this);
                refreshShown();
            }
        } else if (result instanceof AttemptResult.Failure failure && BreakerKinds.opensTheBreaker(failure.kind())) {
            openEverywhere(BreakerKinds.reasonOf(failure.kind()), BreakerKinds.coolDownOf(failure.kind(), config));
        } else {
            trial.returnPermit(); // the caller's own error, a 429 or an abandoned attempt says nothing of recovery
        }
    }

    /** Shares what an attempt says about the target (failures only: a success is shared only after failures). */
    private void share(AttemptResult result, FleetView v) {
        if (result instanceof AttemptResult.Failure failure) {
            if (failure.kind() == FailureKind.RATE_LIMITED) {
                shareRateLimit();
            } else if (failure.kind().countsAgainstHealth() && (v == null || !v.down())) {
                failuresShared = true;
                fleet.countFailure(this);
            }
        } else if (result instanceof AttemptResult.Success && failuresShared) {
            failuresShared = false;
            fleet.clearFailures(this);
        }
    }

    private void shareRateLimit() {
        Duration left = local.rateLimitRemaining();
        if (!left.isZero()) {
            update(v -> v.rateLimited(clock.instant().plus(left)));
            fleet.rateLimit(this, left);
        }
    }

    @Override
    public boolean tryAcquireLastResortPermit() {
        return local.tryAcquireLastResortPermit();
    }

    @Override
    public void recordLastResort(AttemptResult result) {
        local.recordLastResort(result);
        FleetView v = view;
        if (result instanceof AttemptResult.Success && v != null && v.down()) {
            update(view -> view.halfOpen(clock.instant()));
            fleet.halfOpen(this); // the target answered: the others may start their trial instead of waiting out the delay
            refreshShown();
        } else if (result instanceof AttemptResult.Failure failure && failure.kind() == FailureKind.RATE_LIMITED) {
            shareRateLimit();
        }
    }

    @Override
    public void recordProbe(AttemptResult result) {
        local.recordProbe(result);
        if (result instanceof AttemptResult.Success) {
            clearEverywhere();
        } else if (result instanceof AttemptResult.Failure failure && failure.kind() == FailureKind.RATE_LIMITED) {
            shareRateLimit();
        }
    }

    /** One replica of the fleet probes the target per interval; its result reaches the others (see {@link #recordLastResort}). */
    @Override
    public boolean claimProbe(Duration interval) {
        return fleet.claimProbe(this, interval);
    }

    @Override
    public void reset() {
        local.reset();
        clearEverywhere();
    }

    private void clearEverywhere() {
        trial.reset();
        failuresShared = false;
        view = null;
        ownResetsInFlight.incrementAndGet();
        fleet.reset(this);
        refreshShown();
    }

    @Override
    public Duration rateLimitRemaining() {
        Duration here = local.rateLimitRemaining();
        FleetView v = view;
        return v == null ? here : longer(here, Duration.between(clock.instant(), v.rateLimitedUntil()));
    }

    @Override
    public Duration openRemaining() {
        Duration here = local.openRemaining();
        FleetView v = view;
        return v == null || !v.down() ? here : longer(here, Duration.between(clock.instant(), v.openUntil()));
    }

    @Override
    public TargetHealthSnapshot snapshot() {
        TargetHealthSnapshot here = local.snapshot();
        FleetView v = view;
        return v == null ? here : v.over(here, clock.instant());
    }

    // ---- the fleet's side: called on the fleet thread --------------------------------------------------------------

    /** A fact another replica (or this one) published. */
    void apply(FleetMessage message, boolean fromHere) {
        Instant now = clock.instant();
        if (fromHere && ownResetsInFlight.get() > 0) {
            if (message.type() == FleetMessage.Type.RESET) {
                ownResetsInFlight.decrementAndGet();
            }
            return; // published before a reset of ours that is still on its way: stale
        }
        switch (message.type()) {
            case OPEN -> {
                trial.reset();
                SkipReason reason = message.reason() == null ? SkipReason.CIRCUIT_OPEN : message.reason();
                update(v -> v.opened(reason, now.plusMillis(message.millis())));
            }
            case HALF -> update(v -> v.halfOpen(now));
            case CLOSED -> {
                trial.reset();
                update(FleetView::closed);
            }
            case RESET -> {
                trial.reset();
                view = null;
                if (!fromHere) {
                    local.reset();
                }
            }
            case RATE_LIMITED -> update(v -> v.rateLimited(now.plusMillis(message.millis())));
        }
        refreshShown();
    }

    /** What a sync read from Redis ({@link FleetScripts#SYNC}): replaces the view. */
    void synced(List<Object> fields, String self) {
        ownResetsInFlight.set(0); // the read came after our writes (one connection, in order): it is the truth now
        Instant now = clock.instant();
        String reason = (String) fields.get(0);
        long openLeft = (Long) fields.get(1);
        boolean down = (Long) fields.get(2) == 1 || openLeft > 0;
        long rateLimitLeft = (Long) fields.get(3);
        String holder = (String) fields.get(4);
        long trialLeft = (Long) fields.get(5);
        SkipReason why = reason.isEmpty() ? SkipReason.CIRCUIT_OPEN : SkipReason.valueOf(reason);
        FleetView fresh = new FleetView(down, down ? why : null,
                openLeft > 0 ? now.plusMillis(openLeft) : down ? now : Instant.MIN,
                rateLimitLeft > 0 ? now.plusMillis(rateLimitLeft) : Instant.MIN);
        FleetView current = FleetView.of(view);
        if (down && current.down() && current.openUntil().isAfter(fresh.openUntil())) {
            fresh = new FleetView(true, current.reason(), current.openUntil(), fresh.rateLimitedUntil()); // ours, not yet written
        }
        setView(fresh);
        if (down) {
            trial.synced(holder.equals(self), !holder.isEmpty() && trialLeft > 0, Math.max(0, trialLeft), now);
        } else {
            trial.reset();
        }
        refreshShown();
    }

    /** Redis is back: what this replica learned meanwhile is shared (open breaker, 429), then read back by a sync. */
    void shareLocalTruths() {
        TargetHealthSnapshot here = local.snapshot();
        Duration open = local.openRemaining();
        if (here.circuitState() == CircuitState.OPEN && !open.isZero()) {
            fleet.open(this, here.openReason(), open);
        }
        Duration rateLimited = local.rateLimitRemaining();
        if (!rateLimited.isZero()) {
            fleet.rateLimit(this, rateLimited);
        }
    }

    void claimAnswered(long epoch, long reply) {
        trial.claimed(epoch, reply < 0, reply, clock.instant());
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    private void localTransition(CircuitState from, CircuitState to) {
        shown.localIs(to);
        if (to == CircuitState.OPEN) {
            TargetHealthSnapshot here = local.snapshot();
            Duration open = local.openRemaining();
            SkipReason reason = here.openReason() == null ? SkipReason.CIRCUIT_OPEN : here.openReason();
            if (!open.isZero()) {
                openEverywhere(reason, open);
            }
        }
        refreshShown();
    }

    private void openEverywhere(SkipReason reason, Duration duration) {
        trial.reset();
        update(v -> v.opened(reason, clock.instant().plus(duration)));
        fleet.open(this, reason, duration);
        refreshShown();
    }

    private synchronized void update(UnaryOperator<FleetView> change) {
        view = FleetView.orNull(change.apply(FleetView.of(view)));
    }

    private synchronized void setView(FleetView fresh) {
        view = FleetView.orNull(fresh);
    }

    private void refreshShown() {
        shown.refresh(view, clock.instant());
    }

    private static Duration longer(Duration a, Duration b) {
        Duration longer = a.compareTo(b) >= 0 ? a : b;
        return longer.isNegative() ? Duration.ZERO : longer;
    }

    @Override
    public String toString() {
        return "FleetTargetState{" + target + ", local " + shown.local() + ", fleet " + (view == null ? "-" : view) + "}";
    }
}
