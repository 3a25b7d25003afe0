package dev.failover4j.spring.actuate;

import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverTarget;
import dev.failover4j.health.TargetHealthSnapshot;
import dev.failover4j.health.TargetStats;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What {@code GET /actuator/failover} returns: whether the group serves from its first tier, from fallbacks only,
 * or not at all, and each target's breaker, availability, statistics and share of the calls served. Built from
 * {@link FailoverGroup#health()} only. Holds names, states and numbers: no key, URL or text.
 *
 * @param status  {@code UP} (a first-tier target is available), {@code DEGRADED} (only fallbacks are) or
 *                {@code DOWN} (none is)
 * @param at      when it was taken (ISO-8601)
 * @param targets each target, in priority order
 */
public record FailoverSnapshot(String status, String at, List<Target> targets) {

    /** A snapshot's status. */
    public static final String UP = "UP";
    /** A snapshot's status: only fallback tiers can serve. */
    public static final String DEGRADED = "DEGRADED";
    /** A snapshot's status: no target can serve now. */
    public static final String DOWN = "DOWN";

    /**
     * One target.
     *
     * @param name                its name
     * @param model               the model name it is sent, or null
     * @param tier                its tier, 0 first (by priority; without priorities, its position)
     * @param weight              its configured weight
     * @param state               its breaker: CLOSED, OPEN or HALF_OPEN
     * @param available           whether a call now would be sent to it (not open, not rate-limited)
     * @param openReason          why it is open, or null
     * @param openUntil           when an open breaker admits a trial, or null
     * @param rateLimitedUntil    when a 429 stops keeping it out, or null
     * @param consecutiveFailures failures since its last success
     * @param attempts            attempts that ended
     * @param failures            of those, failures
     * @param servedShare         its share of all successful attempts of the group, 0 to 1
     * @param errorRate           recent failure rate, 0 to 1
     * @param inFlight            attempts running now
     * @param p50Millis           recent median attempt duration
     * @param p95Millis           recent 95th percentile
     * @param p99Millis           recent 99th percentile
     * @param ewmaMillis          moving average of attempt durations
     * @param inputTokens         prompt tokens reported
     * @param outputTokens        completion tokens reported
     * @param cost                what those cost at its price, or null without a price
     */
    public record Target(String name, String model, int tier, int weight, String state, boolean available,
            String openReason, String openUntil, String rateLimitedUntil, int consecutiveFailures, long attempts,
            long failures, double servedShare, double errorRate, int inFlight, long p50Millis, long p95Millis,
            long p99Millis, long ewmaMillis, long inputTokens, long outputTokens, BigDecimal cost) {}

    /** @return the group's state now */
    public static FailoverSnapshot of(FailoverGroup group) {
        List<FailoverTarget> configured = group.targets();
        Map<String, FailoverTarget> byName = configured.stream()
                .collect(Collectors.toMap(FailoverTarget::name, Function.identity()));
        Map<String, Integer> tiers = tiers(configured);
        List<TargetHealthSnapshot> health = group.health();
        long served = health.stream().mapToLong(h -> successes(h.stats())).sum();
        List<Target> targets = new ArrayList<>(health.size());
        for (TargetHealthSnapshot h : health) {
            FailoverTarget target = byName.get(h.target());
            TargetStats s = h.stats();
            targets.add(new Target(h.target(), target == null ? null : target.modelName().orElse(null),
                    tiers.getOrDefault(h.target(), 0), target == null ? 1 : target.weight(), h.circuitState().name(),
                    h.available(), h.openReason() == null ? null : h.openReason().name(), text(h.openUntil()),
                    text(h.rateLimitedUntil()), h.consecutiveFailures(), s.attempts(), s.failures(),
                    served == 0 ? 0 : (double) successes(s) / served, s.errorRate(), s.inFlight(), millis(s.p50()),
                    millis(s.p95()), millis(s.p99()), millis(s.ewmaLatency()), s.inputTokens(), s.outputTokens(), s.cost()));
        }
        return new FailoverSnapshot(status(targets), Instant.now().toString(), List.copyOf(targets));
    }

    /** @return the lowest tier with an available target, or -1 when none has one */
    public int servingTier() {
        return targets.stream().filter(Target::available).mapToInt(Target::tier).min().orElse(-1);
    }

    private static String status(List<Target> targets) {
        int serving = targets.stream().filter(Target::available).mapToInt(Target::tier).min().orElse(-1);
        return serving < 0 ? DOWN : serving == 0 ? UP : DEGRADED;
    }

    /** Tier = rank of the target's priority among the group's; without priorities, each target is its own tier. */
    private static Map<String, Integer> tiers(List<FailoverTarget> targets) {
        boolean prioritized = targets.stream().anyMatch(t -> t.priority().isPresent());
        if (!prioritized) {
            Map<String, Integer> tiers = new java.util.HashMap<>();
            for (int i = 0; i < targets.size(); i++) {
                tiers.put(targets.get(i).name(), i);
            }
            return tiers;
        }
        List<Integer> ranks = new ArrayList<>(new TreeSet<>(targets.stream().map(t -> t.priority().orElse(Integer.MAX_VALUE)).toList()));
        return targets.stream().collect(Collectors.toMap(FailoverTarget::name,
                t -> ranks.indexOf(t.priority().orElse(Integer.MAX_VALUE))));
    }

    private static long successes(TargetStats stats) {
        return Math.max(0, stats.attempts() - stats.failures());
    }

    private static long millis(Duration duration) {
        return duration == null ? 0 : duration.toMillis();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
