package dev.failover4j.internal;

import dev.failover4j.FailoverTarget;
import dev.failover4j.spi.BudgetState;
import dev.failover4j.spi.TargetStateFactory;
import java.time.Clock;
import java.time.Duration;

/**
 * A target's requests- and tokens-per-minute budget as the execution loop sees it: the {@link BudgetState} the
 * group's {@link TargetStateFactory} made ({@code spi.InMemoryBudgetState} by default, on Failsafe rate limiters),
 * with token counts clamped to what one refill interval can hold. Before an attempt, a request and the prompt's tokens (as
 * fitted to the target, in its tokens) are taken; after the answer the output tokens the provider reported are
 * charged. Thread-safe; null for a target with no budget, so that it costs nothing.
 */
final class TargetBudget {

    private final BudgetState state;
    private final int tokensPerInterval;

    private TargetBudget(BudgetState state, int tokensPerInterval) {
        this.state = state;
        this.tokensPerInterval = tokensPerInterval;
    }

    /** @return the target's budget, made by {@code factory}, or null when it has none */
    static TargetBudget of(FailoverTarget target, TargetStateFactory factory, Clock clock) {
        if (target.requestsPerMinute().isEmpty() && target.tokensPerMinute().isEmpty()) {
            return null;
        }
        TargetStateFactory.BudgetContext context = new TargetStateFactory.BudgetContext(target.name(),
                target.requestsPerMinute().orElse(0), target.tokensPerMinute().orElse(0), clock, target.budgetInterval());
        BudgetState state = factory.createBudget(context);
        if (state == null) {
            throw new NullPointerException("the TargetStateFactory made no budget for target '" + target.name() + "'");
        }
        // the most one attempt takes: a bigger prompt takes a whole interval's tokens
        return new TargetBudget(state, context.perInterval(context.tokensPerMinute()));
    }

    /** @return the target's in-memory budget, or null when it has none */
    static TargetBudget of(FailoverTarget target) {
        return of(target, TargetStateFactory.inMemory(), Clock.systemUTC());
    }

    /**
     * Takes one request and {@code promptTokens} from the budgets, all or nothing.
     *
     * @return whether the attempt may be sent now
     */
    boolean tryAcquire(int promptTokens) {
        return state.tryAcquire(clamp(promptTokens));
    }

    /**
     * Reserves the budget for an attempt that may wait for it, when no other target can serve.
     *
     * @return how long to wait before sending, or null when the budget does not refill within {@code maxWait}
     */
    Duration tryReserve(int promptTokens, Duration maxWait) {
        return state.tryReserve(clamp(promptTokens), maxWait);
    }

    /** Charges the output tokens the provider reported for an answer. */
    void chargeOutput(Integer outputTokens) {
        if (tokensPerInterval > 0 && outputTokens != null && outputTokens > 0) {
            state.chargeOutput(Math.min(outputTokens, tokensPerInterval));
        }
    }

    private int clamp(int promptTokens) {
        return tokensPerInterval == 0 ? 0 : Math.min(Math.max(1, promptTokens), tokensPerInterval);
    }
}
