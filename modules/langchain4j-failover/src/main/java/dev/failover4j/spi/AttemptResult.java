package dev.failover4j.spi;

import dev.failover4j.FailureKind;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import java.util.Objects;

/**
 * How one attempt on one target ended, as reported to its {@link TargetState}: the one fact from which
 * breaker, cool-downs, Retry-After, stats and events are derived. Immutable.
 */
public sealed interface AttemptResult {

    /** @return how long the attempt took (for a stream: until it ended) */
    Duration duration();

    /**
     * The target answered.
     *
     * @param duration   how long the attempt took
     * @param tokenUsage what the provider reported, or null when it reported nothing (e.g. a cut stream)
     */
    record Success(Duration duration, TokenUsage tokenUsage) implements AttemptResult {
        public Success {
            Objects.requireNonNull(duration, "duration");
        }
    }

    /**
     * The attempt failed.
     *
     * @param kind       how it was classified; decides what it does to the target's state
     * @param duration   how long the attempt took
     * @param retryAfter the provider's Retry-After, or null
     */
    record Failure(FailureKind kind, Duration duration, Duration retryAfter) implements AttemptResult {
        public Failure {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(duration, "duration");
        }
    }

    /**
     * The attempt ended without saying anything about the target: cancelled (the caller cancelled or was
     * interrupted, or another attempt of the same call won) or stopped by a bug in the target's code (an
     * {@code Error}). It counts neither way; it only ends the attempt's permit.
     *
     * @param duration how long the attempt ran
     */
    record Abandoned(Duration duration) implements AttemptResult {
        public Abandoned {
            Objects.requireNonNull(duration, "duration");
        }
    }
}
