package dev.failover4j.micrometer;

import static dev.failover4j.micrometer.TagValues.CHAT;
import static dev.failover4j.micrometer.TagValues.ERROR_TYPE;
import static dev.failover4j.micrometer.TagValues.FAILED_OVER;
import static dev.failover4j.micrometer.TagValues.NONE;
import static dev.failover4j.micrometer.TagValues.OPERATION_NAME;
import static dev.failover4j.micrometer.TagValues.OUTCOME;
import static dev.failover4j.micrometer.TagValues.REQUEST_MODEL;
import static dev.failover4j.micrometer.TagValues.SERVED;
import static dev.failover4j.micrometer.TagValues.TARGET;

import dev.failover4j.CircuitState;
import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverEvent.AttemptFailed;
import dev.failover4j.FailoverEvent.AttemptSucceeded;
import dev.failover4j.FailoverEvent.CallFailed;
import dev.failover4j.FailoverEvent.CallSucceeded;
import dev.failover4j.FailoverEvent.CircuitStateChanged;
import dev.failover4j.FailoverEvent.HistoryTruncated;
import dev.failover4j.FailoverEvent.TargetSkipped;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverListener;
import dev.failover4j.FailoverTarget;
import dev.failover4j.health.TargetHealthSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One binding of {@link FailoverMetrics} to one registry: the group's listener. Per-target meters live in
 * {@link TargetMeters}; the call-level ones (no target) here. Every meter it registers is remembered so that
 * {@link #close()} can remove exactly those.
 */
final class GroupMeters implements FailoverListener {

    private static final String[] REASONS = TagValues.lowerCase(CallFailed.Reason.class);

    final MeterRegistry registry;
    final Tags tags;
    private final Map<String, TargetMeters> targets = new ConcurrentHashMap<>();
    private final Set<Meter> registered = ConcurrentHashMap.newKeySet();
    /** Slot 0 served, 1 failed over, 2 + i the i-th {@link CallFailed.Reason}. */
    private final MeterSlots<Counter> calls;
    /** Failed calls' durations, one per {@link CallFailed.Reason}. */
    private final MeterSlots<Timer> failedCalls;
    private volatile boolean closed;

    GroupMeters(FailoverGroup group, MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
        this.calls = new MeterSlots<>(2 + REASONS.length, slot -> keep(Counter.builder(FailoverMetrics.CALLS)
                .description("Calls on the failover group's models, by how they ended")
                .tags(tags).tag(OUTCOME, callOutcome(slot))
                .register(registry)));
        this.failedCalls = new MeterSlots<>(REASONS.length, slot -> keep(Timer.builder(FailoverMetrics.OPERATION_DURATION)
                .description("GenAI operation duration: the whole failover call, retries and fallbacks included")
                .tags(tags).tag(OPERATION_NAME, CHAT).tag(REQUEST_MODEL, NONE).tag(TARGET, NONE)
                .tag(OUTCOME, REASONS[slot]).tag(ERROR_TYPE, REASONS[slot])
                .register(registry)));
        for (FailoverTarget target : group.targets()) {
            String name = target.name();
            targets.put(name, new TargetMeters(this, name, target.modelName().orElse(NONE)));
            keep(Gauge.builder(FailoverMetrics.CIRCUIT_STATE, group, g -> circuitState(g, name))
                    .description("The target's circuit breaker: 0 closed, 1 half-open, 2 open")
                    .tags(tags).tag(TARGET, name)
                    .register(registry));
            if (target.price().isPresent()) {
                keep(FunctionCounter.builder(FailoverMetrics.COST, group, g -> cost(g, name))
                        .description("What the target's reported tokens cost at its price, in the price's currency")
                        .tags(tags).tag(TARGET, name)
                        .register(registry));
            }
        }
    }

    @Override
    public void onEvent(FailoverEvent event) {
        if (closed) {
            return;
        }
        // Most frequent first: a healthy call brings AttemptStarted, AttemptSucceeded and CallSucceeded.
        if (event instanceof CallSucceeded served) {
            target(served.target()).served(served);
            calls.get(served.failedOver() ? 1 : 0).increment();
        } else if (event instanceof AttemptSucceeded succeeded) {
            target(succeeded.target()).attemptSucceeded();
        } else if (event instanceof FailoverEvent.AttemptStarted) {
            return; // AttemptSucceeded/AttemptFailed count attempts once they end
        } else if (event instanceof AttemptFailed failed) {
            target(failed.target()).attemptFailed(failed.failure());
        } else if (event instanceof TargetSkipped skipped) {
            target(skipped.target()).skipped(skipped.reason());
        } else if (event instanceof CallFailed failed) {
            int reason = failed.reason().ordinal();
            calls.get(2 + reason).increment();
            failedCalls.get(reason).record(failed.duration());
        } else if (event instanceof CircuitStateChanged changed) {
            target(changed.target()).transition(changed.to());
        } else if (event instanceof HistoryTruncated truncated) {
            target(truncated.target()).truncated();
        } else if (event instanceof FailoverEvent.StreamContinued continued) {
            target(continued.target()).streamContinued();
        } else if (event instanceof FailoverEvent.HedgeStarted hedge) {
            target(hedge.target()).hedgeStarted();
        } else if (event instanceof FailoverEvent.HedgeWon won) {
            target(won.target()).hedgeWon();
        }
        // TokenRatioChanged: no meter yet. FailoverExhausted: counted by its CallFailed(EXHAUSTED).
    }

    /** A target the group did not list at binding (not expected: a group's targets are fixed) gets meters too. */
    private TargetMeters target(String name) {
        TargetMeters meters = targets.get(name);
        return meters != null ? meters : targets.computeIfAbsent(name, n -> new TargetMeters(this, n, NONE));
    }

    /** Remembers a meter for {@link #close()}; one registered by an event racing with close is removed at once. */
    <M extends Meter> M keep(M meter) {
        registered.add(meter);
        if (closed) {
            registry.remove(meter);
        }
        return meter;
    }

    void close() {
        closed = true;
        for (Meter meter : registered) {
            registry.remove(meter);
        }
        registered.clear();
    }

    private static String callOutcome(int slot) {
        return slot == 0 ? SERVED : slot == 1 ? FAILED_OVER : REASONS[slot - 2];
    }

    /** 0 closed, 1 half-open, 2 open; NaN for a target the snapshot does not list. */
    static double circuitState(FailoverGroup group, String target) {
        TargetHealthSnapshot snapshot = snapshot(group, target);
        if (snapshot == null) {
            return Double.NaN;
        }
        CircuitState state = snapshot.circuitState();
        return state == CircuitState.OPEN ? 2 : state == CircuitState.HALF_OPEN ? 1 : 0;
    }

    static double cost(FailoverGroup group, String target) {
        TargetHealthSnapshot snapshot = snapshot(group, target);
        if (snapshot == null) {
            return Double.NaN;
        }
        BigDecimal cost = snapshot.stats().cost();
        return cost == null ? 0 : cost.doubleValue();
    }

    private static TargetHealthSnapshot snapshot(FailoverGroup group, String target) {
        for (TargetHealthSnapshot snapshot : group.health()) {
            if (snapshot.target().equals(target)) {
                return snapshot;
            }
        }
        return null;
    }
}
