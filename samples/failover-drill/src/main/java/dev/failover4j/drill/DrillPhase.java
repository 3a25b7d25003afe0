package dev.failover4j.drill;

/**
 * The scripted phases of a drill, in order, each with its share of the drill's duration.
 * {@link DrillScript} applies each phase's faults; {@link DrillTimeline} places them in time.
 */
public enum DrillPhase {
    HEALTHY("healthy", "every provider healthy", 0.10),
    SLOW("slow", "primary answers 4x slower than usual (least-latency routing moves to the secondary)", 0.10),
    HANG("hang", "primary reads requests and never answers (hedges carry the calls)", 0.16),
    RATE_LIMIT_STORM("429 storm", "primary 429 + Retry-After; secondary 429 on one request in five", 0.18),
    OUTAGE("outage", "primary answers HTTP 500 to everything, its health check too", 0.20),
    RECOVERY("recovery", "faults cleared; a background probe finds the primary before a user call does", 0.26);

    private final String label;
    private final String description;
    private final double share;

    DrillPhase(String label, String description, double share) {
        this.label = label;
        this.description = description;
        this.share = share;
    }

    /** @return a short name for tables and the progress line */
    public String label() {
        return label;
    }

    /** @return what the phase does, one line */
    public String description() {
        return description;
    }

    /** @return the fraction of the drill's duration this phase lasts (the shares add up to 1) */
    public double share() {
        return share;
    }
}
