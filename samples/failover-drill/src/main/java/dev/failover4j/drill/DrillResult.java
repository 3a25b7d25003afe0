package dev.failover4j.drill;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a finished drill leaves behind, for the caller (and the sample's test) to inspect.
 *
 * @param stats                every call and the requests each provider received per phase
 * @param events               the failover model's events, counted
 * @param timeline             where the phases were
 * @param timing               the breaker delay, timeouts and Retry-After used
 * @param report               the HTML report written
 * @param largestRequestTokens per provider, the largest prompt tokens + {@code max_tokens} it received
 */
public record DrillResult(
        DrillStats stats, EventCounter events, DrillTimeline timeline, DrillTiming timing, Path report,
        Map<String, Integer> largestRequestTokens) {

    public DrillResult {
        largestRequestTokens = Map.copyOf(largestRequestTokens);
    }
}
