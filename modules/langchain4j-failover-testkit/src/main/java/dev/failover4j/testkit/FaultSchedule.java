package dev.failover4j.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link Fault} that is active during a time window measured from the endpoint's schedule epoch
 * (the moment it {@linkplain ChaosEndpoint#start() started} or was last {@linkplain ChaosEndpoint#reset()
 * reset}), read from the endpoint's injectable {@link java.time.Clock}.
 *
 * <pre>{@code
 * // 500s from t=5 s for 10 s, then healthy again
 * server.schedule(FaultSchedule.builder()
 *         .from(Duration.ofSeconds(5)).lasting(Duration.ofSeconds(10))
 *         .fault(Fault.httpStatus(500))
 *         .build());
 * }</pre>
 *
 * <p>Defaults: {@code from} zero, {@code lasting} forever, no repetition. With
 * {@link Builder#repeatEvery(Duration)} the window recurs: active when
 * {@code (t - from) mod period < lasting}. Immutable and thread-safe; the builder is not.
 */
public final class FaultSchedule {

    private final Duration from;
    private final Duration lasting;
    private final Duration period;
    private final Fault fault;

    private FaultSchedule(Builder b) {
        this.from = b.from;
        this.lasting = b.lasting;
        this.period = b.period;
        this.fault = b.fault;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the fault is active {@code elapsed} after the schedule epoch. */
    public boolean isActiveAt(Duration elapsed) {
        Objects.requireNonNull(elapsed, "elapsed");
        if (elapsed.compareTo(from) < 0) {
            return false;
        }
        Duration sinceStart = elapsed.minus(from);
        if (period != null) {
            sinceStart = Duration.ofNanos(sinceStart.toNanos() % period.toNanos());
        }
        return lasting == null || sinceStart.compareTo(lasting) < 0;
    }

    /** When the window opens, relative to the schedule epoch. */
    public Duration from() {
        return from;
    }

    /** How long the window stays open; {@code null} for forever. */
    public Duration lasting() {
        return lasting;
    }

    /** The repetition period; {@code null} when the window happens once. */
    public Duration repeatEvery() {
        return period;
    }

    /** The fault applied while the window is open. */
    public Fault fault() {
        return fault;
    }

    @Override
    public String toString() {
        return "FaultSchedule[" + fault + " from " + from + (lasting == null ? " forever" : " lasting " + lasting)
                + (period == null ? "" : " every " + period) + "]";
    }

    /** Builds a {@link FaultSchedule}. Not thread-safe. */
    public static final class Builder {
        private Duration from = Duration.ZERO;
        private Duration lasting;
        private Duration period;
        private Fault fault;

        private Builder() {
        }

        /** When the window opens, relative to the schedule epoch. Default zero. */
        public Builder from(Duration from) {
            Objects.requireNonNull(from, "from");
            if (from.isNegative()) {
                throw new IllegalArgumentException("from must be >= 0 but was " + from);
            }
            this.from = from;
            return this;
        }

        /** How long the window stays open. Default: forever. */
        public Builder lasting(Duration lasting) {
            Objects.requireNonNull(lasting, "lasting");
            if (lasting.isNegative() || lasting.isZero()) {
                throw new IllegalArgumentException("lasting must be > 0 but was " + lasting);
            }
            this.lasting = lasting;
            return this;
        }

        /** Makes the window recur with this period (requires {@link #lasting(Duration)} ≤ period). */
        public Builder repeatEvery(Duration period) {
            Objects.requireNonNull(period, "period");
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("repeatEvery must be > 0 but was " + period);
            }
            this.period = period;
            return this;
        }

        /** The fault to apply while the window is open. Required. */
        public Builder fault(Fault fault) {
            this.fault = Objects.requireNonNull(fault, "fault");
            return this;
        }

        /**
         * @throws IllegalStateException if no fault was set, or a repetition period is shorter than the
         *                               window or set without a window length
         */
        public FaultSchedule build() {
            if (fault == null) {
                throw new IllegalStateException("fault is required");
            }
            if (period != null && (lasting == null || lasting.compareTo(period) > 0)) {
                throw new IllegalStateException("repeatEvery (" + period + ") needs lasting <= period but lasting was "
                        + lasting);
            }
            return new FaultSchedule(this);
        }
    }
}
