package dev.failover4j.internal;

import dev.failover4j.FailoverTarget;
import dev.failsafe.RateLimiter;
import java.time.Duration;

/**
 * A target's requests- and tokens-per-minute budgets, on Failsafe {@link RateLimiter}s (bursty: the permits of
 * a minute refill together, so a quota of 600 rpm is never exceeded within a minute). Before an attempt, a
 * request permit and the prompt's tokens (as fitted to the target, in its tokens) are taken; after the answer
 * the output tokens the provider reported are charged too (Failsafe permits cannot be given back, so the
 * output is charged when known instead of reserved: the budget may be exceeded by one answer's output).
 * Thread-safe; null for a target with no budget, so that it costs nothing.
 */
final class TargetBudget {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final RateLimiter<Object> requests;
    private final RateLimiter<Object> tokens;
    private final int tokensPerMinute;

    private TargetBudget(FailoverTarget target) {
        this.requests = target.requestsPerMinute().map(rpm -> RateLimiter.burstyBuilder(rpm, MINUTE).build()).orElse(null);
        this.tokensPerMinute = target.tokensPerMinute().orElse(0);
        this.tokens = tokensPerMinute == 0 ? null : RateLimiter.burstyBuilder(tokensPerMinute, MINUTE).build();
    }

    /** @return the target's budget, or null when it has none */
    static TargetBudget of(FailoverTarget target) {
        return target.requestsPerMinute().isPresent() || target.tokensPerMinute().isPresent() ? new TargetBudget(target) : null;
    }

    /**
     * Takes one request and {@code promptTokens} from the budgets, all or nothing.
     *
     * @return whether the attempt may be sent now
     */
    synchronized boolean tryAcquire(int promptTokens) {
        int prompt = tokens == null ? 0 : Math.min(Math.max(1, promptTokens), tokensPerMinute);
        if (requests != null && tokens != null) {
            if (!tokens.tryAcquirePermits(prompt)) {
                return false;
            }
            return requests.tryAcquirePermit(); // a request refused after its tokens were taken: rare, and only wastes tokens
        }
        return requests != null ? requests.tryAcquirePermit() : tokens.tryAcquirePermits(prompt);
    }

    /**
     * Reserves the budget for an attempt that may wait for it, when no other target can serve.
     *
     * @return how long to wait before sending, or null when the budget does not refill within {@code maxWait}
     */
    synchronized Duration tryReserve(int promptTokens, Duration maxWait) {
        Duration wait = Duration.ZERO;
        if (tokens != null) {
            Duration tokenWait = tokens.tryReservePermits(Math.min(Math.max(1, promptTokens), tokensPerMinute), maxWait);
            if (tokenWait.isNegative()) {
                return null;
            }
            wait = tokenWait;
        }
        if (requests != null) {
            Duration requestWait = requests.tryReservePermits(1, maxWait);
            if (requestWait.isNegative()) {
                return null;
            }
            wait = requestWait.compareTo(wait) > 0 ? requestWait : wait;
        }
        return wait;
    }

    /** Charges the output tokens the provider reported for an answer. */
    void chargeOutput(Integer outputTokens) {
        if (tokens != null && outputTokens != null && outputTokens > 0) {
            tokens.tryAcquirePermits(Math.min(outputTokens, tokensPerMinute));
        }
    }
}
