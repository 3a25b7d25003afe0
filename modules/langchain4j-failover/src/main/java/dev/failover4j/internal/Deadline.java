package dev.failover4j.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The one deadline of a call, measured on the injected clock. */
public final class Deadline {

    private final Clock clock;
    private final Instant end;

    public Deadline(Clock clock, Duration budget) {
        this.clock = clock;
        this.end = clock.instant().plus(budget);
    }

    /** @return the time left, never negative */
    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), end);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean expired() {
        return !clock.instant().isBefore(end);
    }

    /** @return whether waiting {@code wait} still leaves time for an attempt */
    public boolean fits(Duration wait) {
        return wait.compareTo(remaining()) < 0;
    }
}
