package dev.failover4j.internal;

import dev.failover4j.FailoverTarget;
import dev.failsafe.RateLimiter;
import java.time.Duration;

/**
 * A target's requests- and tokens-per-minute budgets, on Failsafe {@link RateLimiter}s (bursty: the permits of
 * an interval, a minute by default, refill together at its start, so a quota of 600 rpm is never exceeded within a
 * minute). Before an attempt, a
 * request permit and the prompt's tokens (as fitted to the target, in its tokens) are taken; after the answer
 * the output tokens the provider reported are charged too (Failsafe permits cannot be given back, so the
 * output is charged when known instead of reserved: the budget may be exceeded by one answer's output).
 * Thread-safe; null for a target with no budget, so that it costs nothing.
 */
final class TargetBudget {

    private final RateLimiter<Object> requests;
    private final RateLimiter<Object> tokens;
    private final int tokensPerInterval; // the most one attempt takes: a bigger prompt takes a whole interval's tokens

    private TargetBudget(FailoverTarget target) {
        Duration interval = target.budgetInterval();
        this.requests = target.requestsPerMinute().map(rpm -> limiter(rpm, interval)).orElse(null);
        this.tokensPerInterval = target.tokensPerMinute().map(tpm -> permitsPerInterval(tpm, interval)).orElse(0);
        this.tokens = target.tokensPerMinute().map(tpm -> limiter(tpm, interval)).orElse(null);
    }

    private static RateLimiter<Object> limiter(int perMinute, Duration interval) {
        return RateLimiter.burstyBuilder(permitsPerInterval(perMinute, interval), interval).build();
    }

    private static int permitsPerInterval(int perMinute, Duration interval) {
        return (int) (perMinute * (double) interval.toNanos() / FailoverTarget.DEFAULT_BUDGET_INTERVAL.toNanos());
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
        int prompt = tokens == null ? 0 : Math.min(Math.max(1, promptTokens), tokensPerInterval);
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
            Duration tokenWait = tokens.tryReservePermits(Math.min(Math.max(1, promptTokens), tokensPerInterval), maxWait);
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
            tokens.tryAcquirePermits(Math.min(outputTokens, tokensPerInterval));
        }
    }
}
