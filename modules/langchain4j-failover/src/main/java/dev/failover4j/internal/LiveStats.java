package dev.failover4j.internal;

import dev.failover4j.CircuitState;
import dev.failover4j.TokenPrice;
import dev.failover4j.health.TargetStats;
import dev.failover4j.spi.AttemptResult;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One target's statistics in this JVM, fed by the one write path (each attempt's end) and read by
 * {@code health()}. Writers are wait-free and allocate nothing: an HdrHistogram {@link Recorder} for
 * durations, adders for counts and tokens, one compare-and-set for the moving average. Percentiles and the
 * error rate are "recent": the reader folds what was recorded into the current interval and, once it is a
 * minute old, starts a new one, keeping the previous; a snapshot covers both (one to two minutes). Cost is
 * derived at read time from the token counts (a price is linear), so the call path builds no BigDecimal.
 */
final class LiveStats {

    /** Weight of the newest sample in the moving average. */
    static final double EWMA_ALPHA = 0.3;
    private static final long INTERVAL_MILLIS = 60_000;
    private static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

    private final Clock clock;
    private final TokenPrice price;
    private final Recorder durations = new Recorder(HIGHEST_NANOS, 2);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder recentAttempts = new LongAdder();
    private final LongAdder recentFailures = new LongAdder();
    private final LongAdder inputTokens = new LongAdder();
    private final LongAdder outputTokens = new LongAdder();
    /** The moving average in nanoseconds, as double bits; NaN before the first sample. */
    private final AtomicLong ewmaBits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));

    // The reader's side, guarded by this.
    private Histogram current = new Histogram(HIGHEST_NANOS, 2);
    private Histogram previous = new Histogram(HIGHEST_NANOS, 2);
    private final Histogram interval = new Histogram(HIGHEST_NANOS, 2);
    private long currentSince;
    private long previousAttempts;
    private long previousFailures;
    private long currentAttempts;
    private long currentFailures;
    private CircuitState state = CircuitState.CLOSED;
    private long stateSince;
    private final Map<CircuitState, Long> millisInState = new EnumMap<>(CircuitState.class);

    LiveStats(Clock clock, TokenPrice price) {
        this.clock = clock;
        this.price = price;
        this.currentSince = clock.millis();
        this.stateSince = currentSince;
    }

    /** @return the moving average now (zero before any sample): one volatile read, for routing */
    Duration ewmaLatency() {
        double ewma = Double.longBitsToDouble(ewmaBits.get());
        return Double.isNaN(ewma) ? Duration.ZERO : Duration.ofNanos(Math.round(ewma));
    }

    int inFlight() {
        return inFlight.get();
    }

    /** @return failures ÷ ended attempts since the start, 0 before any */
    double errorRate() {
        long ended = attempts.sum();
        return ended == 0 ? 0 : (double) failures.sum() / ended;
    }

    void started() {
        inFlight.incrementAndGet();
    }

    /** An attempt that called {@link #started()} ended. */
    void ended(AttemptResult result) {
        inFlight.decrementAndGet();
        if (result instanceof AttemptResult.Abandoned) {
            return;
        }
        long nanos = Math.min(Math.max(1, result.duration().toNanos()), HIGHEST_NANOS);
        durations.recordValue(nanos);
        updateEwma(nanos);
        attempts.increment();
        recentAttempts.increment();
        if (result instanceof AttemptResult.Failure) {
            failures.increment();
            recentFailures.increment();
        } else if (((AttemptResult.Success) result).tokenUsage() != null) {
            TokenUsage usage = ((AttemptResult.Success) result).tokenUsage();
            inputTokens.add(usage.inputTokenCount() == null ? 0 : usage.inputTokenCount());
            outputTokens.add(usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
        }
    }

    private void updateEwma(long nanos) {
        long bits;
        double next;
        do {
            bits = ewmaBits.get();
            double now = Double.longBitsToDouble(bits);
            next = Double.isNaN(now) ? nanos : now + EWMA_ALPHA * (nanos - now);
        } while (!ewmaBits.compareAndSet(bits, Double.doubleToRawLongBits(next)));
    }

    synchronized void stateChanged(CircuitState to) {
        long now = clock.millis();
        millisInState.merge(state, now - stateSince, Long::sum);
        state = to;
        stateSince = now;
    }

    /** @param tokenRatio the target's learned token ratio and its samples, shown with the stats */
    synchronized TargetStats snapshot(double tokenRatio, long tokenRatioSamples) {
        long now = clock.millis();
        durations.getIntervalHistogramInto(interval);
        current.add(interval);
        currentAttempts += recentAttempts.sumThenReset();
        currentFailures += recentFailures.sumThenReset();
        if (now - currentSince >= INTERVAL_MILLIS) {
            Histogram reuse = previous;
            previous = current;
            current = reuse;
            current.reset();
            previousAttempts = currentAttempts;
            previousFailures = currentFailures;
            currentAttempts = 0;
            currentFailures = 0;
            currentSince = now;
        }
        Histogram recent = previous.copy();
        recent.add(current);
        long recentEnded = previousAttempts + currentAttempts;
        double errorRate = recentEnded == 0 ? 0 : (double) (previousFailures + currentFailures) / recentEnded;
        double ewma = Double.longBitsToDouble(ewmaBits.get());
        Map<CircuitState, Duration> inState = new EnumMap<>(CircuitState.class);
        millisInState.forEach((s, millis) -> inState.put(s, Duration.ofMillis(millis)));
        inState.merge(state, Duration.ofMillis(now - stateSince), Duration::plus);
        long in = inputTokens.sum();
        long out = outputTokens.sum();
        return new TargetStats(attempts.sum(), failures.sum(), errorRate,
                Double.isNaN(ewma) ? Duration.ZERO : Duration.ofNanos(Math.round(ewma)),
                percentile(recent, 50), percentile(recent, 95), percentile(recent, 99), inFlight.get(), in, out,
                price == null ? null : price.cost(in, out), inState, tokenRatio, tokenRatioSamples);
    }

    private static Duration percentile(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Duration.ZERO : Duration.ofNanos(histogram.getValueAtPercentile(percentile));
    }
}
