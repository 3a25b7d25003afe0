package dev.failover4j.redis.internal;

import dev.failover4j.CircuitState;
import dev.failover4j.spi.TargetStateFactory;
import java.time.Instant;

/**
 * The breaker state a fleet target shows its group: the worse of the local breaker's and the fleet's. The group's
 * listener hears each change of it once, on the thread that caused it (a call's, or the fleet thread for what other
 * replicas published). Thread-safe.
 */
final class ShownState {

    private final TargetStateFactory.BreakerListener listener;
    private volatile CircuitState local = CircuitState.CLOSED;
    private CircuitState shown = CircuitState.CLOSED;

    ShownState(TargetStateFactory.BreakerListener listener) {
        this.listener = listener;
    }

    void localIs(CircuitState state) {
        local = state;
    }

    CircuitState local() {
        return local;
    }

    /** Tells the listener when the combined state changed (outside the lock). */
    void refresh(FleetView view, Instant now) {
        CircuitState combined = worse(local, view == null ? CircuitState.CLOSED : view.state(now));
        CircuitState before;
        synchronized (this) {
            before = shown;
            if (before == combined) {
                return;
            }
            shown = combined;
        }
        listener.onTransition(before, combined);
    }

    static CircuitState worse(CircuitState a, CircuitState b) {
        if (a == CircuitState.OPEN || b == CircuitState.OPEN) {
            return CircuitState.OPEN;
        }
        return a == CircuitState.HALF_OPEN || b == CircuitState.HALF_OPEN ? CircuitState.HALF_OPEN : CircuitState.CLOSED;
    }
}
