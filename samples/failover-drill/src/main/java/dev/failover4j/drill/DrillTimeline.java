package dev.failover4j.drill;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where each {@link DrillPhase} starts and ends, in milliseconds since the drill started.
 * Immutable and thread-safe.
 */
public final class DrillTimeline {

    private final long totalMillis;
    private final Map<DrillPhase, long[]> bounds = new EnumMap<>(DrillPhase.class);

    public DrillTimeline(Duration total) {
        this.totalMillis = total.toMillis();
        long start = 0;
        double cumulative = 0;
        for (DrillPhase phase : DrillPhase.values()) {
            cumulative += phase.share();
            long end = phase.ordinal() == DrillPhase.values().length - 1 ? totalMillis : Math.round(totalMillis * cumulative);
            bounds.put(phase, new long[] {start, end});
            start = end;
        }
    }

    public long totalMillis() {
        return totalMillis;
    }

    /** @return the phase's first millisecond */
    public long startMillis(DrillPhase phase) {
        return bounds.get(phase)[0];
    }

    /** @return the millisecond after the phase's last */
    public long endMillis(DrillPhase phase) {
        return bounds.get(phase)[1];
    }

    public long lengthMillis(DrillPhase phase) {
        return endMillis(phase) - startMillis(phase);
    }

    /** @return the phase running at that time (the last phase for any time past the end) */
    public DrillPhase phaseAt(long elapsedMillis) {
        for (DrillPhase phase : DrillPhase.values()) {
            if (elapsedMillis < endMillis(phase)) {
                return phase;
            }
        }
        return DrillPhase.RECOVERY;
    }
}
