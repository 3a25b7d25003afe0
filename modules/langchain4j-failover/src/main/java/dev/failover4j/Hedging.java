package dev.failover4j;

import dev.failover4j.internal.Validation;
import java.time.Duration;
import java.util.Locale;

/**
 * Hedged requests (off by default): when a call's attempt has not answered after a delay, a second attempt starts
 * on the next target of the call's plan (another target, never the same one twice at once). The first answer
 * wins — for a stream, the first token — and the other attempt is cancelled (its HTTP exchange closed, its thread
 * released) and is not counted as a failure of its target; a failure of either while the other runs leaves the
 * other running. Both attempts keep the call's deadline, fitting, budgets and error classification.
 * {@link #maxExtraLoad(double)} caps hedged attempts as a share of the group's calls over the last minute, so a
 * delay too short for the traffic degrades to fewer hedges, never to more load.
 *
 * <p>The delay is fixed ({@link #after(Duration)}) or follows the primary target's own answers
 * ({@link #atPercentile(double)}: that percentile of its recent successful attempts, kept between a
 * {@link #floor(Duration) floor} and a {@link #ceiling(Duration) ceiling}; the ceiling until it has answered
 * {@value #MIN_SAMPLES} times). A call with a single candidate is never hedged.
 *
 * <p>Given to {@code FailoverGroup.builder().hedging(...)}; the group runs hedged calls' attempts on its own daemon
 * threads, released by {@code close()}. With hedging off a call runs on the caller's thread as before. Immutable.
 */
public final class Hedging {

    /** Hedged attempts allowed, as a share of calls over the last minute. */
    public static final double DEFAULT_MAX_EXTRA_LOAD = 0.10;
    /** The shortest delay {@link #atPercentile} uses. */
    public static final Duration DEFAULT_FLOOR = Duration.ofMillis(50);
    /** The longest delay {@link #atPercentile} uses, and its delay before it has enough samples. */
    public static final Duration DEFAULT_CEILING = Duration.ofSeconds(5);
    /** Successful attempts of a target before {@link #atPercentile} follows its latency. */
    public static final int MIN_SAMPLES = 20;

    private final Duration delay;
    private final double percentile;
    private final Duration floor;
    private final Duration ceiling;
    private final double maxExtraLoad;

    private Hedging(Duration delay, double percentile, Duration floor, Duration ceiling, double maxExtraLoad) {
        this.delay = delay;
        this.percentile = percentile;
        this.floor = floor;
        this.ceiling = ceiling;
        this.maxExtraLoad = maxExtraLoad;
        if (floor.compareTo(ceiling) > 0) {
            throw new IllegalArgumentException("hedging floor (" + floor + ") must not exceed its ceiling (" + ceiling + ")");
        }
    }

    /**
     * @return hedging after a fixed delay
     * @throws IllegalArgumentException when the delay is not positive
     */
    public static Hedging after(Duration delay) {
        Duration d = Validation.requirePositive(delay, "hedging delay");
        return new Hedging(d, 0, d, d, DEFAULT_MAX_EXTRA_LOAD);
    }

    /**
     * @param percentile of the primary target's recent successful attempts, in (0, 1), e.g. 0.9 or 0.95
     * @return hedging after that percentile of the target's latency, between {@link #DEFAULT_FLOOR} and
     *         {@link #DEFAULT_CEILING}
     * @throws IllegalArgumentException when the percentile is outside (0, 1)
     */
    public static Hedging atPercentile(double percentile) {
        if (!(percentile > 0 && percentile < 1)) {
            throw new IllegalArgumentException("hedging percentile must be in (0, 1) but was " + percentile);
        }
        return new Hedging(null, percentile, DEFAULT_FLOOR, DEFAULT_CEILING, DEFAULT_MAX_EXTRA_LOAD);
    }

    /** @return these settings with the shortest delay a percentile may give (for {@link #atPercentile}) */
    public Hedging floor(Duration floor) {
        requirePercentile("floor");
        return new Hedging(null, percentile, Validation.requirePositive(floor, "hedging floor"), ceiling, maxExtraLoad);
    }

    /** @return these settings with the longest delay a percentile may give (for {@link #atPercentile}) */
    public Hedging ceiling(Duration ceiling) {
        requirePercentile("ceiling");
        return new Hedging(null, percentile, floor, Validation.requirePositive(ceiling, "hedging ceiling"), maxExtraLoad);
    }

    /**
     * @param share hedged attempts allowed per call over the last minute, in (0, 1]; default {@value #DEFAULT_MAX_EXTRA_LOAD}
     * @throws IllegalArgumentException when outside (0, 1]
     */
    public Hedging maxExtraLoad(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("hedging maxExtraLoad must be in (0, 1] but was " + share);
        }
        return new Hedging(delay, percentile, floor, ceiling, share);
    }

    private void requirePercentile(String setting) {
        if (delay != null) {
            throw new IllegalStateException("a hedging " + setting + " applies to atPercentile(...), not to after(" + delay + ")");
        }
    }

    /** @return the fixed delay, or null when the delay follows a percentile */
    public Duration delay() {
        return delay;
    }

    /** @return the percentile the delay follows, or 0 for a fixed delay */
    public double percentile() {
        return percentile;
    }

    public Duration floor() {
        return floor;
    }

    public Duration ceiling() {
        return ceiling;
    }

    public double maxExtraLoad() {
        return maxExtraLoad;
    }

    @Override
    public String toString() {
        return "Hedging{" + (delay != null ? "after " + delay : String.format(Locale.ROOT, "at p%s in [%s, %s]",
                trim(percentile * 100), floor, ceiling)) + ", maxExtraLoad " + trim(maxExtraLoad) + "}";
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
