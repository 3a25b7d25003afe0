package dev.failover4j.redis;

import static dev.failover4j.redis.Replica.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.failover4j.CircuitState;
import dev.failover4j.FailoverConfig;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis is optional at run time: unreachable at start, killed and restarted, paused, full. Each replica carries on
 * with its own state, logs once, reconnects, re-syncs; no call fails or waits because of Redis.
 */
class RedisOutageWireTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final FailoverConfig CONFIG = FailoverConfig.builder().maxRetries(0).consecutiveFailureThreshold(2)
            .breakerDelay(Duration.ofMinutes(1)).build();

    private final ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").build().start();
    private final ChaosOpenAiServer backup = ChaosOpenAiServer.builder().name("backup").build().start();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final LogCapture logs = new LogCapture();
    private RedisServer redis;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        logs.close();
        primary.close();
        backup.close();
        if (redis != null) {
            redis.close();
        }
    }

    private Replica replica(String name, UnaryOperator<RedisTargetState> settings) {
        RedisTargetState fleet = settings.apply(RedisTargetState.using(redis.uri()).namespace("app").syncInterval(Duration.ofMillis(200)));
        Replica replica = new Replica(name, fleet, CONFIG, primary, backup);
        closeables.add(0, replica);
        return replica;
    }

    private Replica replica(String name) {
        return replica(name, fleet -> fleet.commandTimeout(Duration.ofMillis(500)));
    }

    @Test
    void should_serve_with_local_state_and_share_it_once_redis_comes_up_when_redis_is_unreachable_at_start() {
        // given: no Redis
        redis = RedisServer.notStarted();
        Replica a = replica("a");
        Replica b = replica("b");
        primary.inject(Fault.httpStatus(503));
        // when: a's calls open the primary with no Redis to tell
        for (int i = 0; i < 4; i++) {
            assertThat(a.chat()).isEqualTo("backup");
        }
        assertThat(a.state("primary")).isEqualTo(CircuitState.OPEN);
        assertThat(a.fleet.isSharing()).isFalse();
        assertThat(logs.lines(Level.WARN, "unavailable")).hasSize(2); // once per replica, whatever the retries
        redis.restart();
        // then: both connect; what a learned alone reaches b
        a.awaitSharing();
        b.awaitSharing();
        await(() -> b.state("primary") == CircuitState.OPEN, WAIT, "b learns the primary a opened before Redis was up");
        assertThat(b.chat()).isEqualTo("backup");
        assertThat(b.requestsTo(primary)).isZero();
        assertThat(logs.lines(Level.INFO, "is back")).hasSize(2);
    }

    @Test
    void should_lose_no_call_and_resume_sharing_when_redis_is_killed_mid_run_and_restarted() {
        // given
        redis = RedisServer.start();
        Replica a = replica("a").awaitSharing();
        Replica b = replica("b").awaitSharing();
        try (Load load = Load.start(List.of(a, b), 2)) {
            await(() -> load.calls() > 50, WAIT, "calls flowing");
            // when
            redis.kill();
            await(() -> !a.fleet.isSharing() && !b.fleet.isSharing(), WAIT, "both replicas notice Redis is gone");
            long atKill = load.calls();
            await(() -> load.calls() > atKill + 50, WAIT, "calls flowing without Redis");
            redis.restart();
            a.awaitSharing();
            b.awaitSharing();
            // then: sharing resumes: a 401 seen by a keeps b away
            primary.injectNext(1, Fault.authenticationFailed());
            await(() -> a.state("primary") == CircuitState.OPEN, WAIT, "a's calls meet the 401");
            await(() -> b.state("primary") == CircuitState.OPEN, WAIT, "b learns it through the restarted Redis");
            load.stop();
            assertThat(load.errors()).isEmpty();
        }
        assertThat(logs.lines(Level.WARN, "unavailable")).hasSize(2);
        assertThat(logs.lines(Level.INFO, "is back")).hasSize(2);
    }

    @Test
    void should_keep_calls_from_waiting_when_redis_is_paused() {
        // given: a command timeout far longer than any call may take, so that a call waiting on Redis would show
        redis = RedisServer.start();
        Replica a = replica("a", fleet -> fleet.commandTimeout(Duration.ofSeconds(30))).awaitSharing();
        Replica b = replica("b", fleet -> fleet.commandTimeout(Duration.ofSeconds(30))).awaitSharing();
        try (Load load = Load.start(List.of(a, b), 2)) {
            await(() -> load.calls() > 50, WAIT, "calls flowing");
            // when: Redis stops answering while the primary fails (every failure is written to Redis)
            redis.pause();
            primary.inject(Fault.httpStatus(503));
            long atPause = load.calls();
            await(() -> load.calls() > atPause + 200, WAIT, "calls flowing while Redis is paused");
            redis.resume();
            primary.clearFaults();
            load.stop();
            // then
            assertThat(load.errors()).isEmpty();
            assertThat(load.slowest()).isLessThan(Duration.ofSeconds(5));
        }
        // and sharing goes on after the pause: a 429 that a meets reaches b. Redis first runs what was sent to it while
        // paused (failures that may open the primary again), so a clears the primary and tries until it meets the 429.
        a.awaitSharing();
        b.awaitSharing();
        for (int attempt = 0; attempt < 10 && b.health("primary").rateLimitedUntil() == null; attempt++) {
            a.group.resetHealth("primary");
            primary.injectNext(1, Fault.rateLimited(Duration.ofSeconds(30)));
            a.chat();
            Replica.within(() -> b.health("primary").rateLimitedUntil() != null, Duration.ofSeconds(1));
        }
        assertThat(b.health("primary").rateLimitedUntil()).as("b learns a's 429 after the pause").isNotNull();
    }

    @Test
    void should_degrade_to_local_state_and_log_once_when_redis_is_full() {
        // given: a Redis that refuses every write
        redis = RedisServer.start();
        Replica a = replica("a").awaitSharing();
        Replica b = replica("b").awaitSharing();
        redis.cli("CONFIG", "SET", "maxmemory-policy", "noeviction");
        redis.cli("CONFIG", "SET", "maxmemory", "1");
        primary.inject(Fault.httpStatus(503));
        // when
        for (int i = 0; i < 6; i++) {
            assertThat(a.chat()).isEqualTo("backup");
        }
        // then: a keeps the primary out on its own; nothing reached b; one line says why
        assertThat(a.state("primary")).isEqualTo(CircuitState.OPEN);
        await(() -> !logs.lines(Level.WARN, "rejected a write").isEmpty(), WAIT, "the refusal is logged");
        assertThat(logs.lines(Level.WARN, "rejected a write")).hasSize(1);
        assertThat(b.state("primary")).isEqualTo(CircuitState.CLOSED);
        assertThat(a.fleet.isSharing()).isTrue();
        // and once Redis has room again, what a learned alone is shared
        redis.cli("CONFIG", "SET", "maxmemory", "0");
        await(() -> b.state("primary") == CircuitState.OPEN, WAIT, "b learns the opening a could not write before");
        assertThat(b.chat()).isEqualTo("backup");
        assertThat(b.requestsTo(primary)).isZero();
        assertThat(logs.lines(Level.INFO, "accepts writes again")).hasSize(1);
    }
}
