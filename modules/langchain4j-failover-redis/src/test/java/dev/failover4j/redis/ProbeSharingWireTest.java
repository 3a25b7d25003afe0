package dev.failover4j.redis;

import static dev.failover4j.redis.Replica.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.CircuitState;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverGroup;
import dev.failover4j.Probes;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Probes in fleet mode: one replica probes a target per interval, not every replica; its result reaches all. */
class ProbeSharingWireTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Two failures open the primary for a minute (only probes and trials bring it back); one trial success closes it. */
    private static final FailoverConfig CONFIG = FailoverConfig.builder().maxRetries(0).consecutiveFailureThreshold(2)
            .breakerDelay(Duration.ofMinutes(1)).halfOpenSuccessThreshold(1).build();

    private final ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").build().start();
    private final ChaosOpenAiServer backup = ChaosOpenAiServer.builder().name("backup").build().start();
    private final List<Replica> replicas = new ArrayList<>();
    private RedisServer redis;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        for (String name : List.of("a", "b", "c", "d")) {
            RedisTargetState fleet = RedisTargetState.using(redis.uri()).namespace("app");
            // rounds are run by hand: an hour between them means the one claim per interval is what a test sees
            FailoverGroup group = FailoverGroup.builder()
                    .targets(Replica.target(primary, name).build(), Replica.target(backup, name).build())
                    .config(CONFIG).targetStates(fleet).probes(Probes.every(Duration.ofHours(1))).build();
            replicas.add(new Replica(name, fleet, group).awaitSharing());
        }
    }

    @AfterEach
    void stop() {
        replicas.forEach(Replica::close);
        primary.close();
        backup.close();
        redis.close();
    }

    /** @return the probes the primary received: {@code GET /v1/models}, how openAiCompatible targets are checked */
    private long pings() {
        return primary.requests().stream().filter(r -> "GET".equals(r.method()) && r.path().endsWith("/models")).count();
    }

    private void openThePrimaryEverywhere() {
        Replica a = replicas.get(0);
        primary.inject(Fault.httpStatus(503));
        a.chat();
        a.chat();
        await(() -> replicas.stream().allMatch(r -> r.state("primary") == CircuitState.OPEN), WAIT, "every replica sees the primary open");
    }

    @Test
    void should_probe_a_target_once_per_interval_when_every_replica_runs_its_probes() {
        // given
        openThePrimaryEverywhere();
        // when: each of the four replicas runs a round
        replicas.forEach(r -> r.group.runProbes());
        // then
        assertThat(pings()).isEqualTo(1);
        assertThat(replicas).allSatisfy(r -> assertThat(r.state("primary")).isEqualTo(CircuitState.OPEN));
    }

    @Test
    void should_bring_the_target_back_everywhere_when_the_one_probe_succeeds() {
        // given
        openThePrimaryEverywhere();
        primary.clearFaults();
        // when
        replicas.forEach(r -> r.group.runProbes());
        // then: one probe; its success ends the open phase everywhere, and a trial call closes the breaker for all
        assertThat(pings()).isEqualTo(1);
        await(() -> {
            replicas.forEach(Replica::chat);
            return replicas.stream().allMatch(r -> r.state("primary") == CircuitState.CLOSED);
        }, WAIT, "every replica closes the primary after the probe's success");
        assertThat(replicas).allSatisfy(r -> assertThat(r.chat()).isEqualTo("primary"));
    }
}
