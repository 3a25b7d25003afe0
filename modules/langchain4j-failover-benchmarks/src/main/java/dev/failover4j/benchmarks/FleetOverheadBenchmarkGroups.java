package dev.failover4j.benchmarks;

import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverTarget;
import dev.failover4j.redis.RedisTargetState;
import java.time.Duration;

/** The groups the fleet-overhead measurements compare: one in-memory target that answers at once. */
final class FleetOverheadBenchmarkGroups {

    private FleetOverheadBenchmarkGroups() {}

    /**
     * @param fleet  the shared state, or null for the default in-memory one
     * @param budget whether the target has a requests-per-minute budget (one that never runs out)
     */
    static FailoverGroup group(RedisTargetState fleet, boolean budget) {
        FailoverTarget.Builder target = FailoverTarget.builder().name("t0").chatModel(InMemoryChatModel.answering())
                .modelName("gpt-4o-mini").contextWindowTokens(128_000);
        if (budget) {
            target.requestsPerMinute(Integer.MAX_VALUE);
        }
        FailoverGroup.Builder group = FailoverGroup.builder().targets(target.build())
                .config(FailoverConfig.builder().maxRetries(0).breakerDelay(Duration.ofDays(1)).build());
        return (fleet == null ? group : group.targetStates(fleet)).build();
    }
}
