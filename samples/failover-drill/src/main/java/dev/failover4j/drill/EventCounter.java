package dev.failover4j.drill;

import dev.failover4j.CircuitState;
import dev.failover4j.FailoverEvent;
import dev.failover4j.FailoverListener;
import dev.failover4j.FailureKind;
import dev.failover4j.SkipReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A {@link FailoverListener} that counts what the failover model did: attempts, failures by kind,
 * skips by reason, history truncations per target, and the breaker transitions with their time.
 * Thread-safe and fast (it runs on the callers' threads).
 */
public final class EventCounter implements FailoverListener {

    /**
     * A breaker state change, at {@code elapsedMillis} since the drill started.
     *
     * @param callId the call whose attempt caused it; 0 when no call did (a background probe, an operator)
     */
    public record Transition(long elapsedMillis, String target, CircuitState from, CircuitState to, long callId) {
        public Transition(long elapsedMillis, String target, CircuitState from, CircuitState to) {
            this(elapsedMillis, target, from, to, -1);
        }
    }

    private final LongSupplier elapsedMillis;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<Transition> transitions = new ArrayList<>();

    /** @param elapsedMillis milliseconds since the drill started, for breaker transitions */
    public EventCounter(LongSupplier elapsedMillis) {
        this.elapsedMillis = elapsedMillis;
    }

    @Override
    public void onEvent(FailoverEvent event) {
        if (event instanceof FailoverEvent.AttemptStarted e) {
            increment("attempts " + e.target());
        } else if (event instanceof FailoverEvent.AttemptFailed e) {
            increment("failed " + e.target() + " " + e.failure());
        } else if (event instanceof FailoverEvent.TargetSkipped e) {
            increment("skipped " + e.target() + " " + e.reason());
        } else if (event instanceof FailoverEvent.HistoryTruncated e) {
            increment("truncated " + e.target());
        } else if (event instanceof FailoverEvent.FailoverExhausted) {
            increment("exhausted");
        } else if (event instanceof FailoverEvent.HedgeStarted e) {
            increment("hedges " + e.target());
        } else if (event instanceof FailoverEvent.HedgeWon e) {
            increment("hedges won " + e.target());
        } else if (event instanceof FailoverEvent.TargetDown e) {
            increment("down " + e.target());
        } else if (event instanceof FailoverEvent.TargetRecovered e) {
            increment("recovered " + e.target());
        } else if (event instanceof FailoverEvent.CircuitStateChanged e) {
            synchronized (transitions) {
                transitions.add(new Transition(elapsedMillis.getAsLong(), e.target(), e.from(), e.to(), e.callId()));
            }
        }
    }

    public long attempts(String target) {
        return count("attempts " + target);
    }

    public long failures(String target, FailureKind kind) {
        return count("failed " + target + " " + kind);
    }

    public long skips(String target, SkipReason reason) {
        return count("skipped " + target + " " + reason);
    }

    /** @return the target's failed attempts by kind, kinds that never happened left out */
    public Map<FailureKind, Long> failures(String target) {
        Map<FailureKind, Long> byKind = new EnumMap<>(FailureKind.class);
        for (FailureKind kind : FailureKind.values()) {
            long n = failures(target, kind);
            if (n > 0) {
                byKind.put(kind, n);
            }
        }
        return byKind;
    }

    /** @return the target's skips by reason, reasons that never happened left out */
    public Map<SkipReason, Long> skips(String target) {
        Map<SkipReason, Long> byReason = new EnumMap<>(SkipReason.class);
        for (SkipReason reason : SkipReason.values()) {
            long n = skips(target, reason);
            if (n > 0) {
                byReason.put(reason, n);
            }
        }
        return byReason;
    }

    /** @return how many times a history was shortened to fit {@code target}'s window */
    public long truncations(String target) {
        return count("truncated " + target);
    }

    /** @return hedged attempts sent to {@code target} beside a slow attempt on another */
    public long hedges(String target) {
        return count("hedges " + target);
    }

    /** @return hedged attempts on {@code target} that answered first */
    public long hedgesWon(String target) {
        return count("hedges won " + target);
    }

    /** @return TargetDown alerts raised for {@code target} */
    public long downAlerts(String target) {
        return count("down " + target);
    }

    /** @return TargetRecovered alerts raised for {@code target} */
    public long recoveredAlerts(String target) {
        return count("recovered " + target);
    }

    public long exhausted() {
        return count("exhausted");
    }

    /** @return breaker transitions in the order they happened */
    public List<Transition> transitions() {
        synchronized (transitions) {
            return List.copyOf(transitions);
        }
    }

    /** @return every non-zero counter, sorted by name, e.g. {@code "failed primary SERVER_ERROR" -> 12} */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    private void increment(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private long count(String key) {
        LongAdder adder = counts.get(key);
        return adder == null ? 0 : adder.sum();
    }
}
