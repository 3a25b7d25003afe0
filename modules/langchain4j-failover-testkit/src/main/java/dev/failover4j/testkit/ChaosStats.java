package dev.failover4j.testkit;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of an endpoint's counters, for drills and assertions.
 *
 * @param requests requests received (every path, including faulted ones)
 * @param served   requests answered normally: by {@link ChaosOpenAiServer} a 200 chat completion or
 *                 model list, by {@link ChaosProxy} a response relayed from the upstream (whatever its
 *                 status); a request delayed by a latency fault and then answered counts here too
 * @param faults   how many times each fault kind was applied (kinds never applied are absent)
 */
public record ChaosStats(long requests, long served, Map<FaultKind, Long> faults) {

    /** Copies {@code faults} into an immutable map. */
    public ChaosStats {
        faults = faults.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(faults));
    }

    /** How many times faults of {@code kind} were applied. */
    public long faultCount(FaultKind kind) {
        return faults.getOrDefault(kind, 0L);
    }

    /** Total faults applied, all kinds. */
    public long totalFaults() {
        return faults.values().stream().mapToLong(Long::longValue).sum();
    }
}
