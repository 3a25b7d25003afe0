package dev.failover4j.fit;

import java.util.Arrays;

/**
 * The units accepted so far while fitting, newest first, with their costs, so that leading units can
 * be given back (for {@code startWithUserMessage}) without counting again. Internal; not thread-safe
 * (one per {@code fit} call).
 */
final class KeptUnits {

    private final int requiredStart;
    private int[] starts = new int[16];
    private long[] costs = new long[16];
    private int count;
    private long tokens;

    KeptUnits(int requiredStart, long requiredTokens) {
        this.requiredStart = requiredStart;
        this.tokens = requiredTokens;
    }

    void add(int start, long cost) {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            costs = Arrays.copyOf(costs, count * 2);
        }
        starts[count] = start;
        costs[count] = cost;
        count++;
        tokens += cost;
    }

    /** Gives back the oldest accepted unit. */
    void dropOldest() {
        count--;
        tokens -= costs[count];
    }

    /** Index of the oldest kept message that is not a system message (the cut). */
    int start() {
        return count == 0 ? requiredStart : starts[count - 1];
    }

    long tokens() {
        return tokens;
    }
}
