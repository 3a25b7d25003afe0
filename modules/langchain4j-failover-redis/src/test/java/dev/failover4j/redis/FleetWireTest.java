package dev.failover4j.redis;

import static dev.failover4j.redis.Replica.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverGroup;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet the issue asks for: 8 replicas (own groups, own Redis clients and connections) on one real redis-server,
 * testkit primary and backup, 16 callers. Each number is measured in the test itself, against the same workload run
 * by one replica alone; it is printed, so that a run shows what was measured.
 */
class FleetWireTest {

    private static final int REPLICAS = 8;
    private static final int CALLERS = 16;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").build().start();
    private final ChaosOpenAiServer backup = ChaosOpenAiServer.builder().name("backup").build().start();
    private final List<Replica> replicas = new ArrayList<>();
    private RedisServer redis;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() {
        closeReplicas();
        primary.close();
        backup.close();
        redis.close();
    }

    private void closeReplicas() {
        replicas.forEach(Replica::close);
        replicas.clear();
    }

    /** {@code count} replicas, each with its own group built by {@code group} (given the replica's name and fleet, null without Redis). */
    private List<Replica> start(int count, boolean shared, java.util.function.BiFunction<String, RedisTargetState, FailoverGroup> group) {
        List<Replica> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "r" + i;
            RedisTargetState fleet = shared ? RedisTargetState.using(redis.uri()).namespace("fleet").budgetWindow(BUDGET_WINDOW) : null;
            Replica replica = new Replica(name, fleet, group.apply(name, fleet));
            started.add(shared ? replica.awaitSharing() : replica);
        }
        replicas.addAll(started);
        return started;
    }

    private FailoverGroup group(String name, RedisTargetState fleet, FailoverConfig config,
                                Function<dev.failover4j.OpenAiCompatibleTargetBuilder, dev.failover4j.OpenAiCompatibleTargetBuilder> primaryTarget) {
        FailoverGroup.Builder builder = FailoverGroup.builder().config(config)
                .targets(primaryTarget.apply(Replica.target(primary, name)).build(), Replica.target(backup, name).build());
        return (fleet == null ? builder : builder.targetStates(fleet)).build();
    }

    /** Runs {@link #CALLERS} callers spread over {@code on} for {@code duration}; returns the load, stopped. */
    private static Load run(List<Replica> on, Duration duration) {
        Load load = Load.start(on, CALLERS / on.size());
        LockSupport.parkNanos(duration.toNanos());
        return load.stop();
    }

    // ---- a primary in a hard outage ---------------------------------------------------------------------------------

    /** Defaults but a half-second breaker delay, so that the outage spans several half-open rounds. */
    private static final FailoverConfig OUTAGE = FailoverConfig.builder().breakerDelay(Duration.ofMillis(500)).build();
    private static final Duration OUTAGE_RUN = Duration.ofSeconds(4);

    @Test
    void should_send_the_dead_primary_about_what_one_replica_alone_would_when_8_replicas_share_redis() {
        primary.inject(Fault.httpStatus(503));
        // one replica alone, 16 callers, no Redis
        Load alone = run(start(1, false, (name, fleet) -> group(name, fleet, OUTAGE, t -> t)), OUTAGE_RUN);
        int byOne = primary.requestCount();
        closeReplicas();
        // 8 replicas, 2 callers each, no Redis: what fleet mode is for
        primary.reset();
        primary.inject(Fault.httpStatus(503));
        Load unshared = run(start(REPLICAS, false, (name, fleet) -> group(name, fleet, OUTAGE, t -> t)), OUTAGE_RUN);
        int byEightAlone = primary.requestCount();
        closeReplicas();
        // 8 replicas sharing Redis
        primary.reset();
        primary.inject(Fault.httpStatus(503));
        Load shared = run(start(REPLICAS, true, (name, fleet) -> group(name, fleet, OUTAGE, t -> t)), OUTAGE_RUN);
        int byFleet = primary.requestCount();
        System.out.printf("dead primary over %s: one replica alone %d requests (%d calls); 8 replicas without Redis %d (%d calls); "
                + "8 replicas sharing Redis %d (%d calls): %.2f x one replica%n", OUTAGE_RUN, byOne, alone.calls(), byEightAlone,
                unshared.calls(), byFleet, shared.calls(), (double) byFleet / byOne);
        assertThat(alone.errors()).isEmpty();
        assertThat(unshared.errors()).isEmpty();
        assertThat(shared.errors()).isEmpty();
        assertThat(byOne).isPositive();
        assertThat((double) byFleet).isLessThanOrEqualTo(1.5 * byOne);
        assertThat(byEightAlone).isGreaterThan(byFleet);
    }

    // ---- a 429 ------------------------------------------------------------------------------------------------------

    @Test
    void should_keep_all_8_replicas_away_when_one_of_them_got_a_429_with_retry_after() {
        // given
        List<Replica> fleet = start(REPLICAS, true, (name, f) -> group(name, f, FailoverConfig.builder().maxRetries(0).build(), t -> t));
        primary.injectNext(1, Fault.rateLimited(Duration.ofSeconds(5)));
        // when: one replica meets the 429
        assertThat(fleet.get(0).chat()).isEqualTo("backup");
        await(() -> fleet.stream().allMatch(r -> r.health("primary").rateLimitedUntil() != null), WAIT,
                "every replica sees the primary rate-limited");
        Load load = run(fleet, Duration.ofSeconds(1));
        // then: not one more request while the Retry-After lasts; every call served by the backup
        System.out.printf("429 with Retry-After 5 s: primary requests from 8 replicas in the next second: %d (of %d calls)%n",
                primary.requestCount() - 1, load.calls());
        assertThat(load.errors()).isEmpty();
        assertThat(load.calls()).isGreaterThan(100);
        assertThat(primary.requestCount()).isEqualTo(1);
    }

    // ---- a fleet budget ---------------------------------------------------------------------------------------------

    /** The budget's minute, scaled down: 600 requests per 4 s window (150/s, below what 16 callers ask of a loaded 2-core machine), so that a run holds two whole windows. */
    private static final Duration BUDGET_WINDOW = Duration.ofSeconds(4);

    @Test
    void should_hold_a_fleet_budget_of_600_rpm_within_5_percent_across_8_replicas() {
        // given: 600 requests per (scaled) minute on the primary, shared by 8 replicas; the backup takes the rest
        List<Replica> fleet = start(REPLICAS, true,
                (name, f) -> group(name, f, FailoverConfig.builder().maxRetries(0).build(), t -> t.requestsPerMinute(600)));
        long window = BUDGET_WINDOW.toMillis();
        try (Load load = Load.start(fleet, CALLERS / REPLICAS)) {
            await(() -> load.calls() > 200, WAIT, "calls flowing");
            // when: two whole windows (windows are fixed on Redis's clock, the machine's here)
            long firstWindow = System.currentTimeMillis() / window + 1;
            LockSupport.parkNanos(Duration.ofMillis(firstWindow * window - System.currentTimeMillis()).toNanos());
            int atStart = primary.requestCount();
            long callsAtStart = load.calls();
            LockSupport.parkNanos(Duration.ofMillis((firstWindow + 2) * window - System.currentTimeMillis()).toNanos());
            int served = primary.requestCount() - atStart;
            long calls = load.calls() - callsAtStart;
            load.stop();
            // then
            System.out.printf("fleet budget 600 per %s window, 8 replicas, 16 callers: the primary served %d in two windows "
                    + "(%.1f %% of 1200) out of %d calls%n", BUDGET_WINDOW, served, served / 12.0, calls);
            assertThat(load.errors()).isEmpty();
            assertThat(calls).as("demand above the budget").isGreaterThan(1500);
            assertThat(served).isBetween(1140, 1260);
        }
    }
}
