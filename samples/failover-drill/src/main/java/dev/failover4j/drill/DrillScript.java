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

    /** How much slower the primary answers in the slow phase. */
    static final int SLOWDOWN = 4;
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
            Duration latency = provider.spec().latency();
            if (phase == DrillPhase.SLOW && provider.name().equals("primary")) {
                // on top of a simulated provider's base latency (3/4 of its median): a median SLOWDOWN times the usual
                Duration extra = latency.multipliedBy(SLOWDOWN).minus(latency.multipliedBy(3).dividedBy(4));
                provider.endpoint().inject(Fault.latency(LatencyDistribution.logNormal(extra, extra.multipliedBy(2))));
            } else if (provider.spec().isSimulated()) {
                provider.endpoint().inject(Fault.latency(LatencyDistribution.logNormal(latency.dividedBy(4), latency)));
            }
        }
        ChaosEndpoint primary = providers.get("primary").endpoint();
        ChaosEndpoint secondary = providers.get("secondary").endpoint();
        switch (phase) {
            case HEALTHY, SLOW, RECOVERY -> { }
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
