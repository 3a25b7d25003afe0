package dev.failover4j;

import static dev.failover4j.internal.Validation.requireNonNegative;
import static dev.failover4j.internal.Validation.requirePositive;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The resilience settings of a failover model: retries, timeouts, circuit breaker, cool-downs.
 * Immutable and thread-safe; build one with {@link #builder()} or take {@link #defaults()}.
 *
 * <p>Every default is a {@code DEFAULT_*} constant below. Retries, waits and fallbacks of one call
 * all share one {@link #deadline()}: a backoff or Retry-After longer than the time left sends the
 * call to the next target instead of waiting.
 */
public final class FailoverConfig {

    /** Retries on the same target after a server error or malformed response (connection faults and timeouts: see below). */
    public static final int DEFAULT_MAX_RETRIES = 2;
    /**
     * Of those, after a connection fault or an attempt timeout: one. A refused or reset connection often
     * succeeds at once on a new one, but a target that hangs would cost the caller another attempt timeout.
     */
    public static final int DEFAULT_MAX_CONNECTION_RETRIES = 1;
    /** First backoff; doubled per retry up to {@link #DEFAULT_MAX_BACKOFF}. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    public static final double DEFAULT_BACKOFF_FACTOR = 2.0;
    /** Each backoff is varied by ±25 % so that many callers do not retry in step. */
    public static final double DEFAULT_JITTER = 0.25;
    /** One attempt on one target. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
    /** The whole call: every attempt, retry, wait and fallback. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);
    /** Consecutive failures that open a target's breaker. */
    public static final int DEFAULT_CONSECUTIVE_FAILURE_THRESHOLD = 5;
    /** Failures among the last {@link #DEFAULT_FAILURE_RATE_WINDOW} attempts that open the breaker (50 %, at least 10). */
    public static final int DEFAULT_FAILURE_RATE_THRESHOLD = 10;
    public static final int DEFAULT_FAILURE_RATE_WINDOW = 20;
    /** How long an open breaker (or an authentication failure) keeps a target out before a trial call. */
    public static final Duration DEFAULT_BREAKER_DELAY = Duration.ofSeconds(30);
    /** Successful trial calls that close a half-open breaker; also how many trial calls it admits at once. */
    public static final int DEFAULT_HALF_OPEN_SUCCESS_THRESHOLD = 3;
    /** How long a 429 without Retry-After keeps a target out. */
    public static final Duration DEFAULT_RATE_LIMIT_COOLDOWN = Duration.ofSeconds(5);
    /** Upper bound on any Retry-After we honour (a buggy or hostile header cannot park a target for days). */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(5);
    /** How long a 404 (model not found) keeps a target out. */
    public static final Duration DEFAULT_MODEL_NOT_FOUND_COOLDOWN = Duration.ofMinutes(5);
    /** How long a 451 (a region block) keeps a target out: a legal block does not lift in seconds. */
    public static final Duration DEFAULT_REGION_BLOCKED_COOLDOWN = Duration.ofMinutes(30);

    private static final FailoverConfig DEFAULTS = builder().build();

    private final int maxRetries;
    private final int maxConnectionRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double backoffFactor;
    private final double jitter;
    private final Duration attemptTimeout;
    private final Duration deadline;
    private final int consecutiveFailureThreshold;
    private final int failureRateThreshold;
    private final int failureRateWindow;
    private final Duration breakerDelay;
    private final int halfOpenSuccessThreshold;
    private final Duration rateLimitCooldown;
    private final Duration maxRetryAfter;
    private final Duration modelNotFoundCooldown;
    private final Duration regionBlockedCooldown;
    /** The settings named when this was built, for {@link Builder#merge}. */
    private final Set<Setting> named;

    private FailoverConfig(Builder b) {
        this.maxRetries = requireNonNegative(b.maxRetries, "maxRetries");
        this.maxConnectionRetries = requireNonNegative(b.maxConnectionRetries, "maxConnectionRetries");
        this.initialBackoff = requirePositive(b.initialBackoff, "initialBackoff");
        this.maxBackoff = requirePositive(b.maxBackoff, "maxBackoff");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff must be >= initialBackoff (" + initialBackoff + ") but was " + maxBackoff);
        }
        if (!(b.backoffFactor >= 1.0) || Double.isInfinite(b.backoffFactor)) {
            throw new IllegalArgumentException("backoffFactor must be >= 1 but was " + b.backoffFactor);
        }
        this.backoffFactor = b.backoffFactor;
        if (!(b.jitter >= 0.0 && b.jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1) but was " + b.jitter);
        }
        this.jitter = b.jitter;
        this.attemptTimeout = requirePositive(b.attemptTimeout, "attemptTimeout");
        this.deadline = requirePositive(b.deadline, "deadline");
        this.consecutiveFailureThreshold = requirePositive(b.consecutiveFailureThreshold, "consecutiveFailureThreshold");
        this.failureRateThreshold = requirePositive(b.failureRateThreshold, "failureRateThreshold");
        this.failureRateWindow = requirePositive(b.failureRateWindow, "failureRateWindow");
        if (failureRateThreshold > failureRateWindow) {
            throw new IllegalArgumentException("failureRateThreshold must be <= failureRateWindow (" + failureRateWindow
                    + ") but was " + failureRateThreshold);
        }
        this.breakerDelay = requirePositive(b.breakerDelay, "breakerDelay");
        this.halfOpenSuccessThreshold = requirePositive(b.halfOpenSuccessThreshold, "halfOpenSuccessThreshold");
        this.rateLimitCooldown = requirePositive(b.rateLimitCooldown, "rateLimitCooldown");
        this.maxRetryAfter = requirePositive(b.maxRetryAfter, "maxRetryAfter");
        this.modelNotFoundCooldown = requirePositive(b.modelNotFoundCooldown, "modelNotFoundCooldown");
        this.regionBlockedCooldown = requirePositive(b.regionBlockedCooldown, "regionBlockedCooldown");
        this.named = Collections.unmodifiableSet(EnumSet.copyOf(b.named));
    }

    /** @return the defaults (every {@code DEFAULT_*} constant) */
    public static FailoverConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this config's values */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public int maxRetries() { return maxRetries; }
    public int maxConnectionRetries() { return maxConnectionRetries; }
    public Duration initialBackoff() { return initialBackoff; }
    public Duration maxBackoff() { return maxBackoff; }
    public double backoffFactor() { return backoffFactor; }
    public double jitter() { return jitter; }
    public Duration attemptTimeout() { return attemptTimeout; }
    public Duration deadline() { return deadline; }
    public int consecutiveFailureThreshold() { return consecutiveFailureThreshold; }
    public int failureRateThreshold() { return failureRateThreshold; }
    public int failureRateWindow() { return failureRateWindow; }
    public Duration breakerDelay() { return breakerDelay; }
    public int halfOpenSuccessThreshold() { return halfOpenSuccessThreshold; }
    public Duration rateLimitCooldown() { return rateLimitCooldown; }
    public Duration maxRetryAfter() { return maxRetryAfter; }
    public Duration modelNotFoundCooldown() { return modelNotFoundCooldown; }
    public Duration regionBlockedCooldown() { return regionBlockedCooldown; }

    @Override
    public String toString() {
        return "FailoverConfig{maxRetries=" + maxRetries + " (connection " + maxConnectionRetries + "), backoff=" + initialBackoff + ".." + maxBackoff + " x"
                + backoffFactor + " ±" + jitter + ", attemptTimeout=" + attemptTimeout + ", deadline=" + deadline
                + ", breaker=" + consecutiveFailureThreshold + " consecutive or " + failureRateThreshold + "/"
                + failureRateWindow + ", open " + breakerDelay + ", close after " + halfOpenSuccessThreshold
                + ", rateLimitCooldown=" + rateLimitCooldown + ", maxRetryAfter=" + maxRetryAfter
                + ", modelNotFoundCooldown=" + modelNotFoundCooldown + ", regionBlockedCooldown=" + regionBlockedCooldown + "}";
    }

    /** The settings a builder names; see {@link Builder#merge(FailoverConfig)}. */
    private enum Setting {
        MAX_RETRIES((to, from) -> to.maxRetries = from.maxRetries),
        MAX_CONNECTION_RETRIES((to, from) -> to.maxConnectionRetries = from.maxConnectionRetries),
        BACKOFF((to, from) -> {
            to.initialBackoff = from.initialBackoff;
            to.maxBackoff = from.maxBackoff;
        }),
        BACKOFF_FACTOR((to, from) -> to.backoffFactor = from.backoffFactor),
        JITTER((to, from) -> to.jitter = from.jitter),
        ATTEMPT_TIMEOUT((to, from) -> to.attemptTimeout = from.attemptTimeout),
        DEADLINE((to, from) -> to.deadline = from.deadline),
        CONSECUTIVE_FAILURE_THRESHOLD((to, from) -> to.consecutiveFailureThreshold = from.consecutiveFailureThreshold),
        FAILURE_RATE_THRESHOLD((to, from) -> {
            to.failureRateThreshold = from.failureRateThreshold;
            to.failureRateWindow = from.failureRateWindow;
        }),
        BREAKER_DELAY((to, from) -> to.breakerDelay = from.breakerDelay),
        HALF_OPEN_SUCCESS_THRESHOLD((to, from) -> to.halfOpenSuccessThreshold = from.halfOpenSuccessThreshold),
        RATE_LIMIT_COOLDOWN((to, from) -> to.rateLimitCooldown = from.rateLimitCooldown),
        MAX_RETRY_AFTER((to, from) -> to.maxRetryAfter = from.maxRetryAfter),
        MODEL_NOT_FOUND_COOLDOWN((to, from) -> to.modelNotFoundCooldown = from.modelNotFoundCooldown),
        REGION_BLOCKED_COOLDOWN((to, from) -> to.regionBlockedCooldown = from.regionBlockedCooldown);

        private final BiConsumer<Builder, FailoverConfig> copy;

        Setting(BiConsumer<Builder, FailoverConfig> copy) {
            this.copy = copy;
        }
    }

    /** Builds a {@link FailoverConfig}; values are checked at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private int maxConnectionRetries = DEFAULT_MAX_CONNECTION_RETRIES;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private double backoffFactor = DEFAULT_BACKOFF_FACTOR;
        private double jitter = DEFAULT_JITTER;
        private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
        private Duration deadline = DEFAULT_DEADLINE;
        private int consecutiveFailureThreshold = DEFAULT_CONSECUTIVE_FAILURE_THRESHOLD;
        private int failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
        private int failureRateWindow = DEFAULT_FAILURE_RATE_WINDOW;
        private Duration breakerDelay = DEFAULT_BREAKER_DELAY;
        private int halfOpenSuccessThreshold = DEFAULT_HALF_OPEN_SUCCESS_THRESHOLD;
        private Duration rateLimitCooldown = DEFAULT_RATE_LIMIT_COOLDOWN;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private Duration modelNotFoundCooldown = DEFAULT_MODEL_NOT_FOUND_COOLDOWN;
        private Duration regionBlockedCooldown = DEFAULT_REGION_BLOCKED_COOLDOWN;
        private final EnumSet<Setting> named = EnumSet.noneOf(Setting.class);

        private Builder() {}

        private Builder(FailoverConfig c) {
            named.addAll(c.named);
            merge(c, EnumSet.allOf(Setting.class));
        }

        /**
         * Takes over the settings {@code other} was built with by name (its setters were called), and only those:
         * {@code builder.attemptTimeout(3s).merge(FailoverConfig.builder().maxRetries(0).build())} keeps the 3 s.
         * What the failover model builders' {@code config(...)} does, so that settings given in any order combine.
         */
        Builder merge(FailoverConfig other) {
            named.addAll(other.named);
            return merge(other, other.named);
        }

        private Builder merge(FailoverConfig other, Set<Setting> settings) {
            for (Setting setting : settings) {
                setting.copy.accept(this, other);
            }
            return this;
        }

        private Builder named(Setting setting) {
            named.add(setting);
            return this;
        }

        /** Retries on the same target after a server error or malformed body; see {@link #DEFAULT_MAX_RETRIES}. */
        public Builder maxRetries(int maxRetries) { this.maxRetries = maxRetries; return named(Setting.MAX_RETRIES); }

        /**
         * Of {@link #maxRetries}, how many may follow a connection fault or a timeout; see
         * {@link #DEFAULT_MAX_CONNECTION_RETRIES}. 0 moves on to the next target at once after one.
         */
        public Builder maxConnectionRetries(int retries) {
            this.maxConnectionRetries = retries;
            return named(Setting.MAX_CONNECTION_RETRIES);
        }

        /** First and longest backoff between same-target retries; see {@link #DEFAULT_INITIAL_BACKOFF}. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return named(Setting.BACKOFF);
        }

        /** See {@link #DEFAULT_BACKOFF_FACTOR}. */
        public Builder backoffFactor(double factor) { this.backoffFactor = factor; return named(Setting.BACKOFF_FACTOR); }

        /** See {@link #DEFAULT_JITTER}. */
        public Builder jitter(double jitter) { this.jitter = jitter; return named(Setting.JITTER); }

        /** See {@link #DEFAULT_ATTEMPT_TIMEOUT}. */
        public Builder attemptTimeout(Duration timeout) { this.attemptTimeout = timeout; return named(Setting.ATTEMPT_TIMEOUT); }

        /** See {@link #DEFAULT_DEADLINE}. */
        public Builder deadline(Duration deadline) { this.deadline = deadline; return named(Setting.DEADLINE); }

        /** See {@link #DEFAULT_CONSECUTIVE_FAILURE_THRESHOLD}. */
        public Builder consecutiveFailureThreshold(int failures) {
            this.consecutiveFailureThreshold = failures;
            return named(Setting.CONSECUTIVE_FAILURE_THRESHOLD);
        }

        /** Open after {@code failures} of the last {@code window} attempts; see {@link #DEFAULT_FAILURE_RATE_THRESHOLD}. */
        public Builder failureRateThreshold(int failures, int window) {
            this.failureRateThreshold = failures;
            this.failureRateWindow = window;
            return named(Setting.FAILURE_RATE_THRESHOLD);
        }

        /** See {@link #DEFAULT_BREAKER_DELAY}. */
        public Builder breakerDelay(Duration delay) { this.breakerDelay = delay; return named(Setting.BREAKER_DELAY); }

        /** See {@link #DEFAULT_HALF_OPEN_SUCCESS_THRESHOLD}. */
        public Builder halfOpenSuccessThreshold(int successes) {
            this.halfOpenSuccessThreshold = successes;
            return named(Setting.HALF_OPEN_SUCCESS_THRESHOLD);
        }

        /** See {@link #DEFAULT_RATE_LIMIT_COOLDOWN}. */
        public Builder rateLimitCooldown(Duration cooldown) { this.rateLimitCooldown = cooldown; return named(Setting.RATE_LIMIT_COOLDOWN); }

        /** See {@link #DEFAULT_MAX_RETRY_AFTER}. */
        public Builder maxRetryAfter(Duration max) { this.maxRetryAfter = max; return named(Setting.MAX_RETRY_AFTER); }

        /** See {@link #DEFAULT_MODEL_NOT_FOUND_COOLDOWN}. */
        public Builder modelNotFoundCooldown(Duration cooldown) {
            this.modelNotFoundCooldown = cooldown;
            return named(Setting.MODEL_NOT_FOUND_COOLDOWN);
        }

        /** See {@link #DEFAULT_REGION_BLOCKED_COOLDOWN}. */
        public Builder regionBlockedCooldown(Duration cooldown) {
            this.regionBlockedCooldown = cooldown;
            return named(Setting.REGION_BLOCKED_COOLDOWN);
        }

        /** @throws IllegalArgumentException naming the first bad value */
        public FailoverConfig build() {
            return new FailoverConfig(this);
        }
    }
}
