package dev.failover4j.drill;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One user-facing call of the drill.
 *
 * @param startMillis  when the call started, in milliseconds since the drill started
 * @param endMillis    when it returned or threw
 * @param phase        the phase it started in
 * @param target       the target that served it, or null when the user saw an error
 * @param inputTokens  prompt tokens the serving target reported (0 on error)
 * @param outputTokens completion tokens the serving target reported (0 on error)
 * @param cost         estimated from the serving target's price and the usage (0 on error)
 * @param error        what the user saw (exception class and message, already redacted), or null
 */
public record CallRecord(
        long startMillis, long endMillis, DrillPhase phase, String target, long inputTokens, long outputTokens,
        BigDecimal cost, String error) {

    public CallRecord {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(cost, "cost");
        if ((target == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of target and error must be set");
        }
    }

    public static CallRecord served(long start, long end, DrillPhase phase, String target, long in, long out, BigDecimal cost) {
        return new CallRecord(start, end, phase, target, in, out, cost, null);
    }

    public static CallRecord failed(long start, long end, DrillPhase phase, String error) {
        return new CallRecord(start, end, phase, null, 0, 0, BigDecimal.ZERO, error);
    }

    public long latencyMillis() {
        return endMillis - startMillis;
    }

    public boolean isError() {
        return error != null;
    }
}
