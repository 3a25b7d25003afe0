package dev.failover4j.drill;

import dev.failover4j.testkit.ChaosEndpoint;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.LatencyDistribution;
import java.time.Duration;

/**
 * Applies each {@link DrillPhase}'s faults to the providers' chaos endpoints. Every phase starts
 * from a clean slate ({@code clearFaults()}), then adds the simulated providers' latency jitter and
 * the phase's faults. Requests already in flight keep the fault they got (a hung request stays hung
 * until the client's attempt timeout).
 */
public final class DrillScript {

    /** Share of the secondary's requests rate-limited during the storm. */
    static final double SECONDARY_RATE_LIMIT_PROBABILITY = 0.2;
    /** Retry-After the secondary sends with its 429s. */
    static final Duration SECONDARY_RETRY_AFTER = Duration.ofSeconds(1);

    private final Providers providers;
    private final DrillTiming timing;

    public DrillScript(Providers providers, DrillTiming timing) {
        this.providers = providers;
        this.timing = timing;
    }

    /** Replaces the endpoints' faults with those of {@code phase}. */
    public void enter(DrillPhase phase) {
        for (Providers.Provider provider : providers.all()) {
            provider.endpoint().clearFaults();
            if (provider.spec().isSimulated()) {
                Duration latency = provider.spec().latency();
                provider.endpoint().inject(Fault.latency(LatencyDistribution.logNormal(latency.dividedBy(4), latency)));
            }
        }
        ChaosEndpoint primary = providers.get("primary").endpoint();
        ChaosEndpoint secondary = providers.get("secondary").endpoint();
        switch (phase) {
            case HEALTHY, RECOVERY -> { }
            case OUTAGE -> primary.inject(Fault.httpStatus(500));
            case RATE_LIMIT_STORM -> {
                primary.inject(Fault.rateLimited(timing.retryAfter()));
                secondary.inject(Fault.rateLimited(SECONDARY_RETRY_AFTER).withProbability(SECONDARY_RATE_LIMIT_PROBABILITY));
            }
            case HANG -> primary.inject(Fault.hang());
        }
    }

    /** Removes every fault (the drill is over). */
    public void clear() {
        providers.all().forEach(p -> p.endpoint().clearFaults());
    }
}
