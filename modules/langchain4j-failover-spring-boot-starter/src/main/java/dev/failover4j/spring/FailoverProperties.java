package dev.failover4j.spring;

import dev.failover4j.FitStrategy;
import dev.failover4j.PartialResponsePolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code langchain4j.failover.*}: the targets of the auto-configured {@link dev.failover4j.FailoverGroup} and
 * every setting of its builder. A setting left out keeps the library's default (the {@code DEFAULT_*} constant
 * named in its description), so these properties never restate a default. Checked when the group is built: a bad
 * value fails the application's start with a {@link FailoverPropertyException} naming the property (never an API
 * key). Immutable; {@link #toString()} shows no secret.
 *
 * @param enabled              whether to auto-configure the failover group and its models
 * @param targets              the targets, in priority order (without priorities, the list order is the order
 *                             calls fail over in)
 * @param deadline             the whole call: every attempt, retry, wait and fallback (default 60s,
 *                             FailoverConfig.DEFAULT_DEADLINE)
 * @param attemptTimeout       one attempt on one target (default 30s, FailoverConfig.DEFAULT_ATTEMPT_TIMEOUT)
 * @param maxRetries           same-target retries after a server error or malformed body (default 2)
 * @param maxConnectionRetries of those, after a connection fault or attempt timeout (default 1)
 * @param routing              how the targets of one tier (equal priority) share calls (default priority)
 * @param leastLatencyExploration for routing least-latency: the share of calls that try another target first,
 *                             0 to 1 (default 0.05)
 * @param backoff              the wait between same-target retries
 * @param breaker              each target's circuit breaker
 * @param cooldown             how long a target is kept out after a 429, 404 or 451
 * @param fitting              how a conversation is fitted to each target's context window
 * @param streaming            the streaming model's timeouts and what a broken stream does
 * @param hedging              hedged requests: a second attempt on the next target when the first is slow (off
 *                             unless a delay or a percentile is set)
 * @param probes               background checks of targets whose breaker is open, or of every target with
 *                             include-healthy (off unless an interval is set)
 * @param alerts               where target-down and target-recovered alerts go (raised when probes are on)
 * @param canaries             new targets whose share of their (weighted) tier ramps up step by step
 * @param redis                fleet mode: the replicas share target state through Redis (on when redis.uri is set and
 *                             langchain4j-failover-redis is on the class path)
 */
@ConfigurationProperties(FailoverProperties.PREFIX)
public record FailoverProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue List<FailoverTargetProperties> targets,
        Duration deadline,
        Duration attemptTimeout,
        Integer maxRetries,
        Integer maxConnectionRetries,
        @DefaultValue("priority") Routing routing,
        Double leastLatencyExploration,
        @DefaultValue Backoff backoff,
        @DefaultValue Breaker breaker,
        @DefaultValue Cooldown cooldown,
        @DefaultValue Fitting fitting,
        @DefaultValue Streaming streaming,
        @DefaultValue Hedging hedging,
        @DefaultValue Probes probes,
        @DefaultValue Alerts alerts,
        @DefaultValue List<Canary> canaries,
        @DefaultValue Redis redis) {

    /** The properties' prefix. */
    public static final String PREFIX = "langchain4j.failover";

    /** How the targets of one tier share calls (see {@code dev.failover4j.RoutingStrategy}). */
    public enum Routing {
        /** The list order: the first target of the tier serves while it can. */
        PRIORITY,
        /** Turns: exact shares. */
        ROUND_ROBIN,
        /** Smooth weighted round-robin over each target's weight. */
        WEIGHTED,
        /** The lowest moving average of attempt durations first, with some exploration. */
        LEAST_LATENCY,
        /** This request's estimated cost on each target (at its price) first. */
        LOWEST_COST
    }

    /**
     * @param initial first backoff, doubled (by the factor) per retry (default 200ms)
     * @param max     the longest backoff (default 5s)
     * @param factor  the growth factor per retry (default 2.0)
     * @param jitter  random spread, 0 to 1 (default 0.25)
     */
    public record Backoff(Duration initial, Duration max, Double factor, Double jitter) {}

    /**
     * @param consecutiveFailures   failures in a row that open a target's breaker (default 5)
     * @param failureRateThreshold  failures among the last failure-rate-window attempts that open it (default 10)
     * @param failureRateWindow     the attempts failure-rate-threshold counts over (default 20)
     * @param delay                 open to half-open; also how long a 401/403 disables a target (default 30s)
     * @param halfOpenSuccesses     trial calls admitted half-open, and successes that close it (default 3)
     */
    public record Breaker(Integer consecutiveFailures, Integer failureRateThreshold, Integer failureRateWindow,
            Duration delay, Integer halfOpenSuccesses) {}

    /**
     * @param rateLimit      how long a 429 without Retry-After keeps a target out (default 5s)
     * @param maxRetryAfter  the cap on any Retry-After honoured (default 5m)
     * @param modelNotFound  how long a 404 keeps a target out (default 5m)
     * @param regionBlocked  how long a 451 keeps a target out (default 30m)
     */
    public record Cooldown(Duration rateLimit, Duration maxRetryAfter, Duration modelNotFound, Duration regionBlocked) {}

    /**
     * @param strategy                    truncate-for-primary (default) or prefer-full-history
     * @param defaultReservedOutputTokens output tokens reserved when neither request nor target sets any, capped at a
     *                                    quarter of the window (default 4096)
     * @param startWithUserMessage        whether a cut history starts with a user message (default true)
     */
    public record Fitting(FitStrategy strategy, Integer defaultReservedOutputTokens, Boolean startWithUserMessage) {}

    /**
     * @param firstTokenTimeout     the longest wait for a stream's first token (default 15s)
     * @param idleTimeout           the longest silence between chunks (default 10s)
     * @param partialResponsePolicy continue (default: the next target continues a broken answer) or fail
     */
    public record Streaming(Duration firstTokenTimeout, Duration idleTimeout, PartialResponsePolicy partialResponsePolicy) {}

    /**
     * @param delay        start a second attempt on the next target when the first has not answered after this
     *                     fixed delay; set this or percentile, not both (neither = no hedging)
     * @param percentile   instead of a fixed delay, start it after this percentile of the primary target's recent
     *                     successful attempts, in (0, 1), e.g. 0.9
     * @param floor        with percentile: the shortest delay it may give (default 50ms, Hedging.DEFAULT_FLOOR)
     * @param ceiling      with percentile: the longest delay it may give, and the delay until the target has answered
     *                     20 times (default 5s, Hedging.DEFAULT_CEILING)
     * @param maxExtraLoad hedged attempts allowed as a share of the group's calls over the last minute, in (0, 1]
     *                     (default 0.1, Hedging.DEFAULT_MAX_EXTRA_LOAD)
     */
    public record Hedging(Duration delay, Double percentile, Duration floor, Duration ceiling, Double maxExtraLoad) {}

    /**
     * @param interval            how often targets whose breaker is open are checked; unset = no probes
     * @param failuresBeforeAlert failed calls or checks in a row that raise a target-down alert (default 3)
     * @param includeHealthy      check every target each round, the healthy ones too, for the alerts only (default
     *                            false: only targets whose breaker is open)
     */
    public record Probes(Duration interval, Integer failuresBeforeAlert, @DefaultValue("false") boolean includeHealthy) {}

    /**
     * @param logging    log a target going down (ERROR) and its recovery (WARN)
     * @param webhookUrl POST each alert as JSON to this URL (e.g. a Slack incoming webhook)
     */
    public record Alerts(@DefaultValue("false") boolean logging, URI webhookUrl) {

        @Override
        public String toString() {
            // A webhook URL's path is often its secret (Slack's are).
            return "Alerts{logging=" + logging + ", webhookUrl=" + (webhookUrl == null ? "none" : webhookUrl.getHost() + "/****") + "}";
        }
    }

    /**
     * @param target             the name of the new target, a member of a weighted tier
     * @param steps              its share of the tier step by step, in percent (default 10, 30, 50, 100)
     * @param stepDuration       how long a step lasts at least (default 5m)
     * @param maxErrorRate       a failure rate in a step above this rolls it back to 0, 0 to 1 (default 0.10)
     * @param minAttemptsPerStep attempts on the canary a step needs before it ends (default 20)
     */
    public record Canary(String target, List<Integer> steps, Duration stepDuration, Double maxErrorRate,
            Integer minAttemptsPerStep) {}

    /**
     * Fleet mode ({@code dev.failover4j.redis.RedisTargetState}, from {@code langchain4j-failover-redis}).
     *
     * @param uri            the Redis to share target state through, best from an environment variable: ${REDIS_URL}
     *                       holding e.g. rediss://:password@host:6379 (password, TLS and database in it); unset or
     *                       blank (${REDIS_URL:} with the variable unset) = fleet mode off. Its password is never
     *                       shown: messages, logs and toString() mask it
     * @param namespace      what this application's keys and channel start with; replicas share exactly when they use
     *                       the same namespace on the same Redis (default spring.application.name if set, else
     *                       langchain4j-failover)
     * @param commandTimeout how long a Redis reply may take before Redis counts as unavailable (default 1s,
     *                       RedisTargetState.DEFAULT_COMMAND_TIMEOUT)
     * @param syncInterval   how often each target's fleet state is read again (default 5s,
     *                       RedisTargetState.DEFAULT_SYNC_INTERVAL)
     */
    public record Redis(String uri, String namespace, Duration commandTimeout, Duration syncInterval) {

        /** The namespace when neither namespace nor spring.application.name is set. */
        public static final String DEFAULT_NAMESPACE = "langchain4j-failover";

        @Override
        public String toString() {
            return "Redis{uri=" + (uri == null ? "none" : RedisUris.masked(uri)) + ", namespace=" + namespace
                    + ", commandTimeout=" + commandTimeout + ", syncInterval=" + syncInterval + "}";
        }
    }
}
