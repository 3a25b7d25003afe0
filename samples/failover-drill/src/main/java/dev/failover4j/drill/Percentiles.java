package dev.failover4j.drill;

import java.util.Arrays;

/** Nearest-rank percentiles: the smallest value with at least {@code p} % of the values at or below it. */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * @param values any order; not modified
     * @param p      in (0, 100]
     * @return the p-th percentile, or 0 when there are no values
     * @throws IllegalArgumentException when p is outside (0, 100]
     */
    public static long of(long[] values, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100] but was " + p);
        }
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
