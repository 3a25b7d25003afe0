package dev.failover4j.spi;

import dev.failover4j.CircuitState;
import dev.failover4j.FailoverConfig;
import java.time.Clock;
import java.util.Objects;

/**
 * Makes the {@link TargetState} of each target of a group: in memory by default
 * ({@link #inMemory()}); a fleet module returns a state shared between replicas (typically wrapping the
 * in-memory one as its local fallback). Given to {@code FailoverGroup.builder().targetStates(...)}.
 */
@FunctionalInterface
public interface TargetStateFactory {

    /**
     * @return the state of one target; called once per target when the group is built
     */
    TargetState create(Context context);

    /** @return the default: {@link InMemoryTargetState} */
    static TargetStateFactory inMemory() {
        return InMemoryTargetState::new;
    }

    /**
     * What a state needs to know about its target and group.
     *
     * @param target   the target's name (unique in the group)
     * @param config   the group's resilience settings (thresholds, delays, cool-downs)
     * @param clock    the group's clock, for cool-downs
     * @param listener to be told of every breaker transition, synchronously, on the thread that caused it
     */
    record Context(String target, FailoverConfig config, Clock clock, BreakerListener listener) {
        public Context {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(listener, "listener");
        }
    }

    /** Told of a target's breaker transitions. */
    @FunctionalInterface
    interface BreakerListener {
        void onTransition(CircuitState from, CircuitState to);
    }
}
