package dev.failover4j;

import static dev.failover4j.internal.Validation.requirePositive;

import java.time.Duration;
import java.util.Objects;

/**
 * How a streaming view of a {@link FailoverGroup} treats streams: how long to wait for the first token
 * and between chunks, and what to do when a stream breaks after text was delivered. Immutable and
 * thread-safe; {@link #defaults()} or {@link #builder()}.
 */
public final class StreamingOptions {

    /** Longest wait for a target's first token; a stream slower than this counts as a timeout of that target. */
    public static final Duration DEFAULT_FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(15);
    /** Longest silence between two chunks of a stream before it counts as broken. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** Continue a broken answer on the next target, so the user never gets half an answer as if whole. */
    public static final PartialResponsePolicy DEFAULT_PARTIAL_RESPONSE_POLICY = PartialResponsePolicy.CONTINUE;

    private static final StreamingOptions DEFAULTS = builder().build();

    private final Duration firstTokenTimeout;
    private final Duration idleTimeout;
    private final PartialResponsePolicy partialResponsePolicy;

    private StreamingOptions(Builder builder) {
        this.firstTokenTimeout = requirePositive(builder.firstTokenTimeout, "firstTokenTimeout");
        this.idleTimeout = requirePositive(builder.idleTimeout, "idleTimeout");
        this.partialResponsePolicy = Objects.requireNonNull(builder.partialResponsePolicy, "partialResponsePolicy");
    }

    /** @return every {@code DEFAULT_*} value */
    public static StreamingOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration firstTokenTimeout() {
        return firstTokenTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public PartialResponsePolicy partialResponsePolicy() {
        return partialResponsePolicy;
    }

    @Override
    public String toString() {
        return "StreamingOptions{firstTokenTimeout=" + firstTokenTimeout + ", idleTimeout=" + idleTimeout
                + ", partialResponsePolicy=" + partialResponsePolicy + "}";
    }

    /** Builds {@link StreamingOptions}; values are checked at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private Duration firstTokenTimeout = DEFAULT_FIRST_TOKEN_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private PartialResponsePolicy partialResponsePolicy = DEFAULT_PARTIAL_RESPONSE_POLICY;

        private Builder() {}

        /** See {@link #DEFAULT_FIRST_TOKEN_TIMEOUT}. */
        public Builder firstTokenTimeout(Duration timeout) {
            this.firstTokenTimeout = timeout;
            return this;
        }

        /** See {@link #DEFAULT_IDLE_TIMEOUT}. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** See {@link #DEFAULT_PARTIAL_RESPONSE_POLICY}. */
        public Builder partialResponsePolicy(PartialResponsePolicy policy) {
            this.partialResponsePolicy = policy;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad value */
        public StreamingOptions build() {
            return new StreamingOptions(this);
        }
    }
}
