package dev.failover4j;

/**
 * How {@link Probes} check a target off the request path. {@link FailoverTarget#openAiCompatible} targets check
 * with {@code GET {baseUrl}/models} (no tokens billed); other targets, unless given one, with a one-token chat.
 * A check is bounded by the group's attempt timeout (its thread is interrupted after it).
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Returns when the target is usable.
     *
     * @throws Exception why it is not, classified like a call's error (an HTTP status, a timeout, a refused connection)
     */
    void check() throws Exception;
}
