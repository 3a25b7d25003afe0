package dev.failover4j.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * The one deadline of a call, measured on the injected clock in milliseconds (deadlines are seconds in
 * practice; a sub-millisecond one expires at once), with no {@code Instant} per reading on the healthy path.
 */
final class Deadline {

    private final Clock clock;
    private final long endMillis;

    public Deadline(Clock clock, Duration budget) {
        this.clock = clock;
        this.endMillis = clock.millis() + budget.toMillis();
    }

    /** @return the time left, never negative */
    public Duration remaining() {
        return Duration.ofMillis(Math.max(0, endMillis - clock.millis()));
    }

    public boolean expired() {
        return clock.millis() >= endMillis;
    }

    /** @return whether waiting {@code wait} still leaves time for an attempt */
    public boolean fits(Duration wait) {
        return wait.compareTo(remaining()) < 0;
    }
}
