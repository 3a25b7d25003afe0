package dev.failover4j.drill;

/**
 * The drill's time since start and its current phase. The phase changes only after the phase's
 * faults are in place, so a call that reads a phase started under that phase's faults. Thread-safe.
 */
public final class DrillClock {

    private volatile long startNanos = System.nanoTime();
    private volatile DrillPhase phase = DrillPhase.HEALTHY;

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public DrillPhase phase() {
        return phase;
    }

    /** Starts counting from now (once everything is set up). */
    void restart() {
        startNanos = System.nanoTime();
    }

    void enter(DrillPhase phase) {
        this.phase = phase;
    }
}
