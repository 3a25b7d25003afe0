package dev.failover4j;

/** The state of a target's circuit breaker. */
public enum CircuitState {
    /** Calls flow. */
    CLOSED,
    /** Calls are skipped without a network call. */
    OPEN,
    /** A few trial calls are admitted; enough successes close the breaker, a failure opens it again. */
    HALF_OPEN
}
