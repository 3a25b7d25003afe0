package dev.failover4j.health;

import dev.failover4j.CircuitState;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * What one target's attempts came to, in this JVM: for dashboards, metrics and routing decisions.
 * "Recent" figures cover the last one to two minutes.
 *
 * @param attempts     attempts that ended since the group was built
 * @param failures     of those, failures (abandoned attempts — cancelled, or ended by a bug — count as neither)
 * @param errorRate    failures ÷ ended attempts, recent; 0 when there were none
 * @param ewmaLatency  exponentially weighted moving average of attempt durations (0.3 on the newest), or zero before any
 * @param p50          median attempt duration, recent, or zero when there were none
 * @param p95          95th percentile, recent
 * @param p99          99th percentile, recent
 * @param inFlight     attempts running now
 * @param inputTokens  prompt tokens the provider reported, since the group was built
 * @param outputTokens completion tokens the provider reported
 * @param cost         what those tokens cost at the target's price, or null when it has none
 * @param timeInState  how long the breaker spent in each state since the group was built
 * @param tokenRatio   how many of the model's tokens one of ours makes, as learned (1.0, or the target's
 *                     {@code tokenRatio}, until something was learned); fitting divides the budget by it
 * @param tokenRatioSamples how many observations (reported usage, stated counts) the ratio rests on
 */
public record TargetStats(
        long attempts,
        long failures,
        double errorRate,
        Duration ewmaLatency,
        Duration p50,
        Duration p95,
        Duration p99,
        int inFlight,
        long inputTokens,
        long outputTokens,
        BigDecimal cost,
        Map<CircuitState, Duration> timeInState,
        double tokenRatio,
        long tokenRatioSamples) {

    public TargetStats {
        timeInState = Map.copyOf(timeInState);
    }

    /** @return stats of a target nothing has happened to */
    public static TargetStats none() {
        return new TargetStats(0, 0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0, 0, null, Map.of(), 1.0, 0);
    }
}
