package dev.failover4j;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Moves a new target's share of its tier's traffic through steps (say 10, 30, 50, 100 %) on a schedule, and
 * rolls it back to 0 by itself when its error rate over a step exceeds a threshold — with a
 * {@link FailoverEvent.CanaryStepped} for each step and a {@link FailoverEvent.CanaryRolledBack}. Given to
 * {@code FailoverGroup.builder().canary(...)}; the tier must route with {@link RoutingStrategy#weighted()}.
 *
 * <p>The canary's weight is set so that it gets the step's share of its tier (the others keep their weights);
 * at 100 % the others' weights go to 0 (restored by a rollback). A step lasts {@link #stepDuration()} on the
 * group's clock and ends only after at least {@link #minAttemptsPerStep()} attempts on the canary. No thread:
 * steps are taken as the canary's attempts end. Calls the canary fails are served by the rest of the tier,
 * so users see no error. Immutable and thread-safe.
 */
public final class CanaryRamp {

    /** The usual ramp. */
    public static final int[] DEFAULT_STEPS = {10, 30, 50, 100};
    public static final Duration DEFAULT_STEP_DURATION = Duration.ofMinutes(5);
    /** A canary failing more than one attempt in ten is rolled back. */
    public static final double DEFAULT_MAX_ERROR_RATE = 0.10;
    /** Fewer attempts say too little about an error rate. */
    public static final int DEFAULT_MIN_ATTEMPTS_PER_STEP = 20;

    private final String target;
    private final int[] steps;
    private final Duration stepDuration;
    private final double maxErrorRate;
    private final int minAttemptsPerStep;

    private CanaryRamp(Builder b) {
        this.target = Objects.requireNonNull(b.target, "target");
        this.steps = b.steps.clone();
        if (steps.length == 0) {
            throw new IllegalArgumentException("steps of the canary ramp of '" + target + "' must not be empty");
        }
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] <= 0 || steps[i] > 100 || (i > 0 && steps[i] <= steps[i - 1])) {
                throw new IllegalArgumentException("steps of the canary ramp of '" + target
                        + "' must be increasing percentages in (0, 100] but were " + Arrays.toString(steps));
            }
        }
        this.stepDuration = dev.failover4j.internal.Validation.requirePositive(b.stepDuration, "stepDuration");
        if (!(b.maxErrorRate >= 0 && b.maxErrorRate < 1)) {
            throw new IllegalArgumentException("maxErrorRate must be in [0, 1) but was " + b.maxErrorRate);
        }
        this.maxErrorRate = b.maxErrorRate;
        this.minAttemptsPerStep = dev.failover4j.internal.Validation.requirePositive(b.minAttemptsPerStep, "minAttemptsPerStep");
    }

    /** @param target the name of the new target (a member of a weighted tier) */
    public static Builder builder(String target) {
        return new Builder(target);
    }

    public String target() {
        return target;
    }

    /** @return the shares of its tier, in percent, step by step */
    public int[] steps() {
        return steps.clone();
    }

    public Duration stepDuration() {
        return stepDuration;
    }

    public double maxErrorRate() {
        return maxErrorRate;
    }

    public int minAttemptsPerStep() {
        return minAttemptsPerStep;
    }

    @Override
    public String toString() {
        return "CanaryRamp{" + target + ", steps=" + Arrays.toString(steps) + ", each " + stepDuration + ", rollback above "
                + maxErrorRate + " after " + minAttemptsPerStep + " attempts}";
    }

    /** Builds a {@link CanaryRamp}; checked at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final String target;
        private int[] steps = DEFAULT_STEPS;
        private Duration stepDuration = DEFAULT_STEP_DURATION;
        private double maxErrorRate = DEFAULT_MAX_ERROR_RATE;
        private int minAttemptsPerStep = DEFAULT_MIN_ATTEMPTS_PER_STEP;

        private Builder(String target) {
            this.target = target;
        }

        /** See {@link #DEFAULT_STEPS}. */
        public Builder steps(int... percents) {
            this.steps = Objects.requireNonNull(percents, "steps").clone();
            return this;
        }

        /** See {@link #DEFAULT_STEP_DURATION}. */
        public Builder stepDuration(Duration duration) {
            this.stepDuration = duration;
            return this;
        }

        /** See {@link #DEFAULT_MAX_ERROR_RATE}. */
        public Builder maxErrorRate(double rate) {
            this.maxErrorRate = rate;
            return this;
        }

        /** See {@link #DEFAULT_MIN_ATTEMPTS_PER_STEP}. */
        public Builder minAttemptsPerStep(int attempts) {
            this.minAttemptsPerStep = attempts;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad value */
        public CanaryRamp build() {
            return new CanaryRamp(this);
        }
    }
}
