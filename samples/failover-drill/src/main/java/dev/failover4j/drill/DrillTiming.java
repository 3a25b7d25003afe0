package dev.failover4j.drill;

import java.time.Duration;

/**
 * The resilience timings of a drill, scaled with its duration so that a short drill still shows
 * breakers opening and closing.
 *
 * @param breakerDelay     how long an open breaker stays open (the library's default is 30 s, longer than a phase)
 * @param attemptTimeout   one attempt on one target: what a hung provider costs a call
 * @param deadline         the whole call, every retry and fallback
 * @param retryAfter       the Retry-After the primary sends during the 429 storm
 * @param probeInterval    how often open breakers are probed in the background
 */
public record DrillTiming(Duration breakerDelay, Duration attemptTimeout, Duration deadline, Duration retryAfter,
                          Duration probeInterval) {

    /**
     * @return 4 s breaker delay, 2 s attempt timeout, 8 s deadline, 3 s Retry-After, 1 s probe interval at 60 s; shorter
     *         drills scale down
     */
    public static DrillTiming scaledTo(DrillOptions options) {
        double scale = Math.min(1.0, options.scale());
        return new DrillTiming(
                atLeast(Duration.ofMillis(Math.round(4_000 * scale)), Duration.ofMillis(750)),
                atLeast(Duration.ofMillis(Math.round(2_000 * scale)), Duration.ofMillis(1_000)),
                Duration.ofSeconds(8),
                atLeast(Duration.ofMillis(Math.round(3_000 * scale)), Duration.ofSeconds(1)),
                atLeast(Duration.ofMillis(Math.round(1_000 * scale)), Duration.ofMillis(250)));
    }

    private static Duration atLeast(Duration value, Duration min) {
        return value.compareTo(min) < 0 ? min : value;
    }
}
