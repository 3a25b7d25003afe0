package dev.failover4j.spi;

import dev.failover4j.CircuitState;
import dev.failover4j.FailoverConfig;
import java.time.Clock;
import java.time.Duration;
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

    /**
     * Makes the budget of a target that has {@code requestsPerMinute} or {@code tokensPerMinute} (called once per such
     * target when the group is built). The default keeps it in this JVM ({@link InMemoryBudgetState}); a fleet module
     * overrides it to share one budget between replicas.
     *
     * @return the target's budget
     */
    default BudgetState createBudget(BudgetContext context) {
        return new InMemoryBudgetState(context);
    }

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

    /**
     * What a budget needs to know about its target.
     *
     * @param target            the target's name (unique in the group)
     * @param requestsPerMinute its requests per minute, or 0 when it has no such budget
     * @param tokensPerMinute   its tokens per minute, or 0 when it has no such budget
     * @param clock             the group's clock
     * @param interval          how often the budget refills, each time by the interval's share of the per-minute
     *                          quota ({@code FailoverTarget.budgetInterval()}, a minute by default)
     */
    record BudgetContext(String target, int requestsPerMinute, int tokensPerMinute, Clock clock, Duration interval) {
        public BudgetContext {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(interval, "interval");
            if (requestsPerMinute < 0 || tokensPerMinute < 0 || requestsPerMinute + tokensPerMinute == 0) {
                throw new IllegalArgumentException("a budget of target '" + target + "' needs a positive requestsPerMinute or "
                        + "tokensPerMinute but had " + requestsPerMinute + " and " + tokensPerMinute);
            }
        }

        /** A budget refilled once a minute. */
        public BudgetContext(String target, int requestsPerMinute, int tokensPerMinute, Clock clock) {
            this(target, requestsPerMinute, tokensPerMinute, clock, Duration.ofMinutes(1));
        }

        /** @return how many of {@code perMinute} refill each {@link #interval()} (rounded down) */
        public int perInterval(int perMinute) {
            return (int) (perMinute * (double) interval.toNanos() / Duration.ofMinutes(1).toNanos());
        }
    }

    /** Told of a target's breaker transitions. */
    @FunctionalInterface
    interface BreakerListener {
        void onTransition(CircuitState from, CircuitState to);
    }
}
