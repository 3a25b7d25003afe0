package dev.failover4j.spi;

import dev.failsafe.RateLimiter;
import java.time.Duration;

/**
 * The default {@link BudgetState}: this JVM's budget, on Failsafe {@link RateLimiter}s (bursty: the permits of an
 * interval, a minute by default, refill together at its start, so a quota of 600 rpm is never exceeded within a
 * minute). Failsafe permits cannot be given
 * back, so output tokens are charged when known instead of reserved: the budget may be exceeded by one answer's
 * output. Thread-safe.
 */
public final class InMemoryBudgetState implements BudgetState {

    private final RateLimiter<Object> requests;
    private final RateLimiter<Object> tokens;

    /** @param context the target's requests and tokens per minute (0: no such budget) */
    public InMemoryBudgetState(TargetStateFactory.BudgetContext context) {
        this.requests = context.requestsPerMinute() == 0 ? null
                : RateLimiter.burstyBuilder(context.perInterval(context.requestsPerMinute()), context.interval()).build();
        this.tokens = context.tokensPerMinute() == 0 ? null
                : RateLimiter.burstyBuilder(context.perInterval(context.tokensPerMinute()), context.interval()).build();
    }

    @Override
    public synchronized boolean tryAcquire(int promptTokens) {
        if (requests != null && tokens != null) {
            if (!tokens.tryAcquirePermits(promptTokens)) {
                return false;
            }
            return requests.tryAcquirePermit(); // a request refused after its tokens were taken: rare, and only wastes tokens
        }
        return requests != null ? requests.tryAcquirePermit() : tokens.tryAcquirePermits(promptTokens);
    }

    @Override
    public synchronized Duration tryReserve(int promptTokens, Duration maxWait) {
        Duration wait = Duration.ZERO;
        if (tokens != null) {
            Duration tokenWait = tokens.tryReservePermits(promptTokens, maxWait);
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

    @Override
    public void chargeOutput(int outputTokens) {
        if (tokens != null) {
            tokens.tryAcquirePermits(outputTokens);
        }
    }

    @Override
    public String toString() {
        return "InMemoryBudgetState{" + (requests != null ? "rpm" : "") + (tokens != null ? " tpm" : "") + "}";
    }
}
