package dev.failover4j.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * A distribution of added latency: either fixed, or log-normal described by its median and 99th
 * percentile (the shape real LLM latencies have: most calls near the median, a long right tail).
 *
 * <p>Samples are drawn from the {@link Random} of the server that applies the fault, which is seeded
 * (see {@link ChaosOpenAiServer.Builder#randomSeed(long)}), so a sequential test sees the same
 * latencies on every run. Log-normal samples are capped at 3 × p99 so one unlucky draw cannot stall a
 * test. Immutable and thread-safe.
 */
public final class LatencyDistribution {

    /** z-score of the 99th percentile of the standard normal distribution. */
    private static final double Z_99 = 2.3263478740408408;

    private final Duration median;
    private final Duration p99;

    private LatencyDistribution(Duration median, Duration p99) {
        this.median = median;
        this.p99 = p99;
    }

    /**
     * Always the same delay.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static LatencyDistribution fixed(Duration delay) {
        requireNonNegative(delay, "delay");
        return new LatencyDistribution(delay, delay);
    }

    /**
     * A log-normal distribution with the given median and 99th percentile.
     *
     * @throws IllegalArgumentException if {@code median} is not positive or {@code p99 < median}
     */
    public static LatencyDistribution logNormal(Duration median, Duration p99) {
        Objects.requireNonNull(median, "median");
        Objects.requireNonNull(p99, "p99");
        if (median.isNegative() || median.isZero()) {
            throw new IllegalArgumentException("median must be > 0 but was " + median);
        }
        if (p99.compareTo(median) < 0) {
            throw new IllegalArgumentException("p99 must be >= median (" + median + ") but was " + p99);
        }
        return new LatencyDistribution(median, p99);
    }

    /** The median (for a fixed distribution: the delay). */
    public Duration median() {
        return median;
    }

    /** The 99th percentile (for a fixed distribution: the delay). */
    public Duration p99() {
        return p99;
    }

    /** Draws one delay using {@code random}; callers synchronise access to a shared {@code random}. */
    public Duration sample(Random random) {
        if (median.equals(p99)) {
            return median;
        }
        double sigma = Math.log((double) p99.toNanos() / median.toNanos()) / Z_99;
        double nanos = median.toNanos() * Math.exp(sigma * random.nextGaussian());
        long capped = (long) Math.min(nanos, 3.0 * p99.toNanos());
        return Duration.ofNanos(capped);
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0 but was " + d);
        }
    }

    @Override
    public String toString() {
        return median.equals(p99) ? "fixed(" + median + ")" : "logNormal(median=" + median + ", p99=" + p99 + ")";
    }
}
