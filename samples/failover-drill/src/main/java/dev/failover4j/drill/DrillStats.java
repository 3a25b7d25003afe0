package dev.failover4j.drill;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Thread-safe record of every call of a drill and of how many requests reached each provider per
 * phase, with the aggregations the progress line, the phase table and the chart need. A drill
 * makes a few thousand calls, so records are kept whole and aggregated on demand.
 */
public final class DrillStats {

    private final List<String> targets;
    private final List<CallRecord> records = new ArrayList<>();
    private final Map<DrillPhase, Map<String, Long>> providerRequests = new EnumMap<>(DrillPhase.class);

    /** @param targets target names in priority order (the order of every per-target column) */
    public DrillStats(List<String> targets) {
        this.targets = List.copyOf(targets);
    }

    public List<String> targets() {
        return targets;
    }

    public synchronized void record(CallRecord record) {
        records.add(record);
    }

    /** Records how many requests {@code target}'s endpoint received during {@code phase} (retries included). */
    public synchronized void recordProviderRequests(DrillPhase phase, String target, long requests) {
        providerRequests.computeIfAbsent(phase, p -> new LinkedHashMap<>()).put(target, requests);
    }

    /** @return requests {@code target}'s endpoint received during {@code phase}, 0 when not recorded */
    public synchronized long providerRequests(DrillPhase phase, String target) {
        return providerRequests.getOrDefault(phase, Map.of()).getOrDefault(target, 0L);
    }

    /** @return a copy of every record so far, in completion order */
    public synchronized List<CallRecord> records() {
        return List.copyOf(records);
    }

    public synchronized long errors() {
        return records.stream().filter(CallRecord::isError).count();
    }

    /** @return the summary of the calls that started in {@code phase} */
    public CallSummary phase(DrillPhase phase) {
        return summary(r -> r.phase() == phase);
    }

    public CallSummary total() {
        return summary(r -> true);
    }

    /** @return the summary of the calls that ended in [fromMillis, toMillis) */
    public CallSummary endedBetween(long fromMillis, long toMillis) {
        return summary(r -> r.endMillis() >= fromMillis && r.endMillis() < toMillis);
    }

    /** @return one summary per whole second from 0 to {@code seconds - 1}, by completion time */
    public List<CallSummary> perSecond(int seconds) {
        List<List<CallRecord>> buckets = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            buckets.add(new ArrayList<>());
        }
        for (CallRecord r : records()) {
            int second = (int) Math.min(r.endMillis() / 1000, seconds - 1L);
            buckets.get(second).add(r);
        }
        return buckets.stream().map(b -> CallSummary.of(b, targets)).toList();
    }

    private CallSummary summary(Predicate<CallRecord> filter) {
        return CallSummary.of(records().stream().filter(filter).toList(), targets);
    }
}
