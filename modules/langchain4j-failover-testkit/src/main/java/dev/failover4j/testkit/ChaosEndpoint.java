package dev.failover4j.testkit;

import java.time.Duration;
import java.util.List;

/**
 * The fault controls and request records that {@link ChaosOpenAiServer} and {@link ChaosProxy}
 * share. All methods are thread-safe and may be called while requests are in flight; a change applies
 * to requests that arrive after it.
 */
public interface ChaosEndpoint extends AutoCloseable {

    /**
     * Binds 127.0.0.1 and starts serving; idempotent. Also (re)starts the schedule clock at the
     * {@link java.time.Clock}'s current instant.
     *
     * @return this endpoint
     * @throws java.io.UncheckedIOException if the port cannot be bound
     * @throws IllegalStateException        if the endpoint was closed (endpoints are not restartable)
     */
    ChaosEndpoint start();

    /** The name given at build time (used in replies and ids, never secret). */
    String name();

    /**
     * The OpenAI base URL to give a client, e.g. {@code http://127.0.0.1:53412/v1}.
     *
     * @throws IllegalStateException if not started
     */
    String baseUrl();

    /**
     * The bound port.
     *
     * @throws IllegalStateException if not started
     */
    int port();

    /** Applies {@code fault} to every applicable request until {@link #clearFaults()} or {@link #reset()}. */
    void inject(Fault fault);

    /**
     * Applies {@code fault} to the next {@code requests} requests it fires on (with a probability below 1,
     * requests it does not fire on do not count).
     *
     * @throws IllegalArgumentException if {@code requests} is not positive
     */
    void injectNext(int requests, Fault fault);

    /** Adds a fault that is active in a time window, measured from the schedule epoch by the endpoint's clock. */
    void schedule(FaultSchedule schedule);

    /** Removes every injected and scheduled fault. Requests already being answered are not affected. */
    void clearFaults();

    /** Every request received since start or the last {@link #reset()}, oldest first (an immutable copy). */
    List<RecordedChatRequest> requests();

    /** How many requests were received since start or the last {@link #reset()}. */
    int requestCount();

    /**
     * The oldest request not yet taken, waiting up to {@code timeout} for one to arrive. Requests are
     * recorded before any fault applies, so a request that will hang can be taken.
     *
     * @return the request, or {@code null} if none arrived in time
     */
    RecordedChatRequest takeRequest(Duration timeout);

    /** A snapshot of the counters. */
    ChaosStats stats();

    /**
     * Clears faults, schedules, recorded requests, counters (and a server's scripted replies) and
     * restarts the schedule clock. Does not close connections. Everything kept per request is dropped,
     * so a long-running endpoint (a soak) that calls this now and then stays bounded in memory.
     */
    void reset();

    /**
     * Stops serving and releases every waiting response (hangs, stalls, delays) at once; their clients
     * see the connection close. Idempotent.
     */
    @Override
    void close();
}
