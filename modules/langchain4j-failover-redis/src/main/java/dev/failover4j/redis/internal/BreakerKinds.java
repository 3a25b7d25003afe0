package dev.failover4j.redis.internal;

import dev.failover4j.FailoverConfig;
import dev.failover4j.FailureKind;
import dev.failover4j.SkipReason;
import java.time.Duration;

/** What a failure does to a breaker, as {@code InMemoryTargetState} decides it, for the fleet's trials. */
final class BreakerKinds {

    private BreakerKinds() {}

    /** A failure that says the target is unhealthy (not that the request was wrong, nor a 429). */
    static boolean opensTheBreaker(FailureKind kind) {
        return kind.countsAgainstHealth() || kind == FailureKind.AUTHENTICATION || kind == FailureKind.MODEL_NOT_FOUND
                || kind == FailureKind.REGION_BLOCKED;
    }

    static SkipReason reasonOf(FailureKind kind) {
        return switch (kind) {
            case AUTHENTICATION -> SkipReason.AUTHENTICATION_FAILED;
            case MODEL_NOT_FOUND -> SkipReason.MODEL_NOT_FOUND;
            case REGION_BLOCKED -> SkipReason.REGION_BLOCKED;
            default -> SkipReason.CIRCUIT_OPEN;
        };
    }

    static Duration coolDownOf(FailureKind kind, FailoverConfig config) {
        return switch (kind) {
            case MODEL_NOT_FOUND -> config.modelNotFoundCooldown();
            case REGION_BLOCKED -> config.regionBlockedCooldown();
            default -> config.breakerDelay();
        };
    }
}
