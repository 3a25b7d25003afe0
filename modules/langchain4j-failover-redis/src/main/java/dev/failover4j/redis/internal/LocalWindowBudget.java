package dev.failover4j.redis.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * A budget's fallback while Redis is unavailable: this replica's share of it ({@code limit / replicas}, the replicas
 * that took from it in the last window Redis reported), in fixed windows on the group's clock. It keeps the fleet near
 * its quota without Redis, instead of letting N replicas take N times it. Thread-safe (its owner's lock).
 */
final class LocalWindowBudget {

    private final Clock clock;
    private final long windowMillis;
    private final long requestLimit;
    private final long tokenLimit;
    private long window = Long.MIN_VALUE;
    private long requests;
    private long tokens;

    LocalWindowBudget(Clock clock, Duration window, long requestsPerWindow, long tokensPerWindow, int replicas) {
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.requestLimit = requestsPerWindow == 0 ? 0 : Math.max(1, requestsPerWindow / replicas);
        this.tokenLimit = tokensPerWindow == 0 ? 0 : Math.max(1, tokensPerWindow / replicas);
    }

    boolean tryAcquire(int promptTokens) {
        roll();
        if ((requestLimit > 0 && requests >= requestLimit) || (tokenLimit > 0 && tokens + promptTokens > tokenLimit)) {
            return false;
        }
        requests++;
        tokens += promptTokens;
        return true;
    }

    /** @return the wait until the next window when it fits {@code maxWait} (the reservation counted there), else null */
    Duration tryReserve(int promptTokens, Duration maxWait) {
        if (tryAcquire(promptTokens)) {
            return Duration.ZERO;
        }
        Duration wait = Duration.ofMillis((window + 1) * windowMillis - clock.millis());
        if (wait.compareTo(maxWait) > 0) {
            return null;
        }
        window++; // the reservation is the next window's first use
        requests = 1;
        tokens = promptTokens;
        return wait;
    }

    void chargeOutput(int outputTokens) {
        roll();
        tokens += outputTokens;
    }

    private void roll() {
        long now = clock.millis() / windowMillis;
        if (now > window) {
            window = now;
            requests = 0;
            tokens = 0;
        }
    }
}
