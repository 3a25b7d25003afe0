package dev.failover4j.drill;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates of a group of calls (a phase, a second, the whole drill).
 *
 * @param calls    calls in the group
 * @param errors   calls that ended in a user-facing error
 * @param p50      median latency in milliseconds (0 when empty)
 * @param p99      99th-percentile latency in milliseconds (0 when empty)
 * @param servedBy calls served per target, in the given target order (targets that served none included)
 * @param cost     estimated cost of the served calls
 */
public record CallSummary(long calls, long errors, long p50, long p99, Map<String, Long> servedBy, BigDecimal cost) {

    public CallSummary {
        servedBy = Collections.unmodifiableMap(new LinkedHashMap<>(servedBy));
    }

    /** @return the summary of {@code records}, with a served count for each of {@code targets} */
    public static CallSummary of(Collection<CallRecord> records, List<String> targets) {
        Map<String, Long> served = new LinkedHashMap<>();
        targets.forEach(t -> served.put(t, 0L));
        long errors = 0;
        BigDecimal cost = BigDecimal.ZERO;
        long[] latencies = new long[records.size()];
        int i = 0;
        for (CallRecord r : records) {
            latencies[i++] = r.latencyMillis();
            if (r.isError()) {
                errors++;
            } else {
                served.merge(r.target(), 1L, Long::sum);
                cost = cost.add(r.cost());
            }
        }
        return new CallSummary(records.size(), errors, Percentiles.of(latencies, 50), Percentiles.of(latencies, 99),
                served, cost);
    }

    /** @return the share of calls the target served, 0 to 1 (0 when there are no calls) */
    public double share(String target) {
        return calls == 0 ? 0 : servedBy.getOrDefault(target, 0L) / (double) calls;
    }
}
