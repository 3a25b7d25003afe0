package dev.failover4j.spi;

import java.time.Duration;

/**
 * A target's requests- and tokens-per-minute budget ({@code FailoverTarget.requestsPerMinute(n)},
 * {@code tokensPerMinute(n)}): in memory by default ({@link InMemoryBudgetState}); a fleet implementation shares one
 * budget between the replicas of an application. Made once per target that has a budget, by
 * {@link TargetStateFactory#createBudget}; a target without one has no {@code BudgetState} and pays nothing.
 *
 * <p>Before an attempt the caller takes one request and the prompt's tokens ({@link #tryAcquire}); when nothing else
 * can serve it may reserve them and wait ({@link #tryReserve}); after an answer the output tokens the provider
 * reported are charged ({@link #chargeOutput}). Token counts are already clamped to {@code [1, tokensPerMinute]}
 * (0 when the target has no tokens budget). Implementations are thread-safe; {@link #tryAcquire} is on every call's
 * path to the target: no I/O, no waiting there.
 */
public interface BudgetState {

    /**
     * Takes one request and {@code promptTokens} tokens, all or nothing.
     *
     * @return whether the attempt may be sent now
     */
    boolean tryAcquire(int promptTokens);

    /**
     * Reserves the budget for an attempt that will wait for it (nothing else can serve the call).
     *
     * @return how long to wait before sending, or null when the budget does not refill within {@code maxWait}
     */
    Duration tryReserve(int promptTokens, Duration maxWait);

    /** Charges the output tokens the provider reported for an answer ({@code outputTokens} &gt; 0). */
    void chargeOutput(int outputTokens);
}
