package dev.failover4j.spi;

import dev.failover4j.SkipReason;
import dev.failover4j.health.TargetHealthSnapshot;
import java.time.Duration;

/**
 * What a failover group knows about one target: its circuit breaker, cool-downs (Retry-After, 401/403,
 * 404, 451) and last-resort trials. In memory by default; a fleet implementation shares it between
 * replicas.
 *
 * <p><b>One write path.</b> Every attempt's end — sync, streaming (a stream that breaks after N chunks
 * included), last-resort trial, probe — is reported exactly once, by whoever ran it, through
 * {@link #record}, {@link #recordLastResort} or {@link #recordProbe}; nothing else changes the state
 * (but an operator's {@link #reset}).
 *
 * <p><b>Permits.</b> A caller first asks {@link #admission()} (no side effect), then, right before it
 * sends the attempt, takes a permit with {@link #tryAcquirePermit()}; each permit ends with exactly one
 * {@link #record}. A half-open breaker hands out only a few permits.
 *
 * <p>Implementations are thread-safe. {@link #admission()}, {@link #tryAcquirePermit()} and a
 * {@link AttemptResult.Success} on a closed target are on every call's path: no I/O, no lock, no
 * allocation there.
 */
public interface TargetState {

    /** @return null when a call may try this target now, else why not; takes no permit */
    SkipReason admission();

    /** @return whether an attempt may be sent now (false: a half-open breaker has no trial permit left) */
    boolean tryAcquirePermit();

    /** Ends an attempt that held a permit. */
    void record(AttemptResult result);

    /**
     * Claims the one last-resort trial an open target may have at a time (see the README: when no target can
     * be called only because breakers are open, a call still tries the most promising open one).
     *
     * @return whether the caller may run it; it then ends with {@link #recordLastResort}
     */
    boolean tryAcquireLastResortPermit();

    /** Ends a last-resort trial: a success counts as a half-open success, a failure as a failure. */
    void recordLastResort(AttemptResult result);

    /** Reports a check made outside any permit (an operator's probe): a success clears the target, a failure counts. */
    void recordProbe(AttemptResult result);

    /**
     * Asks whether this group should run this round's background probe of the target (see {@code Probes}): always, by
     * default; a fleet implementation lets one replica probe a target per {@code interval} and shares the result
     * through {@link #recordLastResort}. Called on the probe thread, never on a call's path, before the last-resort
     * permit is taken: it may wait briefly on I/O and must answer yes when it cannot tell.
     *
     * @param interval the probes' interval
     * @return whether to probe the target now
     */
    default boolean claimProbe(Duration interval) {
        return true;
    }

    /** Closes the breaker and clears every cool-down (an operator action). */
    void reset();

    /** @return how long until a rate-limited target may be called again (zero when it may now) */
    Duration rateLimitRemaining();

    /** @return how long until an open breaker admits a trial call (zero when not open) */
    Duration openRemaining();

    /** @return a point-in-time view for dashboards and operators */
    TargetHealthSnapshot snapshot();
}
