package dev.failover4j;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Orders the targets of one tier (targets of equal {@link FailoverTarget#priority() priority}) for one call:
 * the first is tried first, the call fails over through the rest of the tier before the next tier. A tier
 * of one target is never asked. Set on the group with {@code FailoverGroup.builder().routing(...)}; default
 * {@link #priority()}.
 *
 * <p>A custom strategy is a lambda over read-only {@link Candidate}s; it must return every candidate of the
 * tier exactly once (anything else is an {@link IllegalStateException} naming the strategy and the names it
 * returned). Strategies are called concurrently by every call and must be thread-safe; the built-in ones are,
 * and each instance keeps its own state (round-robin position, weighted counters), so give each group its own.
 */
@FunctionalInterface
public interface RoutingStrategy {

    /**
     * @param tier the tier's targets, in the order given to the group
     * @return the same candidates, in the order this call tries them
     */
    List<Candidate> order(List<Candidate> tier);

    /** The list order: the first target of the tier serves while it can (today's behaviour). */
    static RoutingStrategy priority() {
        return tier -> tier;
    }

    /** Each call starts at the next target of the tier, in turn: exact shares. */
    static RoutingStrategy roundRobin() {
        return RoutingStrategies.roundRobin();
    }

    /**
     * Smooth weighted round-robin (nginx's): a tier with weights 3 and 1 sends exactly 3 of every 4 calls to
     * the first, interleaved rather than in bursts. Weights are each target's {@link FailoverTarget#weight()},
     * changeable at run time with {@code FailoverGroup.setWeight(name, weight)}; a target of weight 0 only serves
     * when the others cannot.
     */
    static RoutingStrategy weighted() {
        return RoutingStrategies.weighted();
    }

    /**
     * The target with the lowest moving average of attempt durations first (EWMA, 0.3 on the newest sample),
     * the others by latency after it; one call in twenty tries another target first at random, so that a
     * target that became fast again is noticed. A target with no sample yet counts as fastest (it gets tried).
     */
    static RoutingStrategy leastLatency() {
        return RoutingStrategies.leastLatency(0.05);
    }

    /** As {@link #leastLatency()}, with the share of calls that try another target first ({@code 0} to {@code 1}). */
    static RoutingStrategy leastLatency(double explorationRate) {
        return RoutingStrategies.leastLatency(explorationRate);
    }

    /**
     * The target on which this request costs least first: its estimated prompt tokens (as fitted to that
     * target) and reserved output tokens at the target's {@link TokenPrice}. Targets the request does not fit
     * go last, and so do targets without a price.
     */
    static RoutingStrategy lowestCost() {
        return RoutingStrategies.lowestCost();
    }

    /** A read-only view of one target of the tier, for this call. */
    interface Candidate {

        /** @return the target's name */
        String name();

        /** @return the target as configured */
        FailoverTarget target();

        /** @return its weight now (changed at run time by {@code FailoverGroup.setWeight}) */
        int weight();

        /** @return the moving average of its attempt durations, or {@link Duration#ZERO} before any */
        Duration ewmaLatency();

        /** @return attempts running on it now */
        int inFlight();

        /** @return failures ÷ ended attempts since the group was built, 0 before any */
        double errorRate();

        /**
         * @return this request's prompt tokens as fitted to the target (in its own tokens, as calibrated), or -1
         *         when the request does not fit it; fitting is done on the first call of this method
         */
        int estimatedPromptTokens();

        /** @return output tokens reserved for this request on the target */
        int reservedOutputTokens();

        /** @return this request's estimated cost on the target, or null when it has no price or the request does not fit */
        BigDecimal estimatedCost();

        /**
         * @return {@link #estimatedCost()} per million tokens' worth as a {@code double}, or {@code NaN} when that is
         *         null: the same order, without building a {@code BigDecimal} (what {@link #lowestCost()} sorts by)
         */
        default double estimatedCostValue() {
            BigDecimal cost = estimatedCost();
            return cost == null ? Double.NaN : cost.doubleValue() * 1_000_000;
        }
    }
}
