package dev.failover4j.internal;

import dev.failover4j.FailureKind;
import dev.failover4j.SkipReason;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * Keeps the log readable during an outage. Per-call routing is logged at DEBUG by the call itself; here,
 * what the calls of one interval did to each target is counted and written as at most one INFO line per
 * target per {@link #INTERVAL_MILLIS} ("target 'a' in the last 60 s: skipped 1243 (CIRCUIT_OPEN 1243)"),
 * and calls that every target failed as one WARN with its detail plus a count of the others. Breaker
 * transitions are logged as they happen by the model, and flush the summary first so the story reads in order.
 *
 * <p>No thread: a summary is written by the first skip, failure or transition after its interval ended (the
 * healthy path records nothing and reads no clock). Thread-safe.
 */
final class TrafficLog {

    static final long INTERVAL_MILLIS = 60_000;

    private final Logger log;
    private final Clock clock;
    private final Map<String, Counts> targets = new ConcurrentHashMap<>();
    private final AtomicLong windowStart;
    private final AtomicBoolean exhaustedShown = new AtomicBoolean();
    private final LongAdder exhaustedHidden = new LongAdder();

    /** What one target went through in the current interval. */
    private static final class Counts {
        final Map<SkipReason, LongAdder> skips = new EnumMap<>(SkipReason.class);
        final Map<FailureKind, LongAdder> failures = new EnumMap<>(FailureKind.class);

        Counts() {
            for (SkipReason reason : SkipReason.values()) {
                skips.put(reason, new LongAdder());
            }
            for (FailureKind kind : FailureKind.values()) {
                failures.put(kind, new LongAdder());
            }
        }

        /** @return e.g. "skipped 12 (CIRCUIT_OPEN 12), failed 3 (SERVER_ERROR 3)", or "" when nothing happened */
        String drain() {
            String skipped = drain(skips, SkipReason.class, "skipped");
            String failed = drain(failures, FailureKind.class, "failed");
            return skipped.isEmpty() ? failed : failed.isEmpty() ? skipped : skipped + ", " + failed;
        }

        private static <K extends Enum<K>> String drain(Map<K, LongAdder> counters, Class<K> type, String verb) {
            Map<K, Long> counted = new EnumMap<>(type);
            counters.forEach((key, adder) -> {
                long n = adder.sumThenReset();
                if (n > 0) {
                    counted.put(key, n);
                }
            });
            if (counted.isEmpty()) {
                return "";
            }
            long total = counted.values().stream().mapToLong(Long::longValue).sum();
            return verb + " " + total + " (" + counted.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")) + ")";
        }
    }

    TrafficLog(Logger log, Clock clock) {
        this.log = log;
        this.clock = clock;
        this.windowStart = new AtomicLong(clock.millis());
    }

    void skipped(String target, SkipReason reason) {
        counts(target).skips.get(reason).increment();
        flushIfDue();
    }

    void failed(String target, FailureKind kind) {
        counts(target).failures.get(kind).increment();
        flushIfDue();
    }

    /** A call that every target failed: the first of an interval is shown whole, the others counted. */
    void exhausted(String message) {
        flushIfDue();
        if (exhaustedShown.compareAndSet(false, true)) {
            log.warn("{} (further calls that fail every target in the next {} s are counted, not shown)", message,
                    INTERVAL_MILLIS / 1000);
        } else {
            exhaustedHidden.increment();
        }
    }

    /** Writes what the current interval counted so far, e.g. before a breaker transition is logged. */
    void flush() {
        long now = clock.millis();
        long start = windowStart.getAndSet(now);
        write(Math.max(0, now - start));
    }

    private void flushIfDue() {
        long now = clock.millis();
        long start = windowStart.get();
        if (now - start >= INTERVAL_MILLIS && windowStart.compareAndSet(start, now)) {
            write(now - start);
        }
    }

    private void write(long millis) {
        long seconds = Math.max(1, Math.round(millis / 1000.0));
        targets.forEach((target, counts) -> {
            String line = counts.drain();
            if (!line.isEmpty()) {
                log.info("target '{}' in the last {} s: {}", target, seconds, line);
            }
        });
        long hidden = exhaustedHidden.sumThenReset();
        if (hidden > 0) {
            log.warn("{} more calls failed on every target in the last {} s", hidden, seconds);
        }
        exhaustedShown.set(false);
    }

    private Counts counts(String target) {
        return targets.computeIfAbsent(target, t -> new Counts());
    }
}
