package dev.failover4j.spring.actuate;

import dev.failover4j.FailoverGroup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code failover} health contributor: {@code UP} when a target of the first tier can serve,
 * {@code UP} with {@code degraded: true} when only fallback tiers can (users are served, an operator should look),
 * {@code DOWN} when no target can serve now (every breaker open or rate-limited). Details: the serving tier and,
 * per target, its breaker state, availability, tier, consecutive failures, why and until when it is out, recent
 * error rate and p99. Reads {@link FailoverGroup#health()} only: no network call. Never shows a key.
 */
public final class FailoverHealthIndicator implements HealthIndicator {

    private final FailoverGroup group;

    public FailoverHealthIndicator(FailoverGroup group) {
        this.group = Objects.requireNonNull(group, "group");
    }

    @Override
    public Health health() {
        FailoverSnapshot snapshot = FailoverSnapshot.of(group);
        Health.Builder health = snapshot.status().equals(FailoverSnapshot.DOWN) ? Health.down() : Health.up();
        health.withDetail("degraded", snapshot.status().equals(FailoverSnapshot.DEGRADED));
        health.withDetail("servingTier", snapshot.servingTier());
        Map<String, Object> targets = new LinkedHashMap<>();
        for (FailoverSnapshot.Target target : snapshot.targets()) {
            targets.put(target.name(), details(target));
        }
        return health.withDetail("targets", targets).build();
    }

    private static Map<String, Object> details(FailoverSnapshot.Target target) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", target.state());
        details.put("available", target.available());
        details.put("tier", target.tier());
        details.put("consecutiveFailures", target.consecutiveFailures());
        if (target.openReason() != null) {
            details.put("openReason", target.openReason());
            details.put("openUntil", target.openUntil());
        }
        if (target.rateLimitedUntil() != null) {
            details.put("rateLimitedUntil", target.rateLimitedUntil());
        }
        details.put("errorRate", target.errorRate());
        details.put("p99Millis", target.p99Millis());
        return details;
    }
}
