package dev.failover4j.redis;

import static dev.failover4j.redis.Replica.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.CircuitState;
import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverEvent;
import dev.failover4j.SkipReason;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.RecordedChatRequest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas (own groups, own Redis clients) on one real redis-server, testkit servers as primary and backup:
 * what one replica learns about the primary keeps the other away from it, with no request from the other.
 */
class FleetSharingWireTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Two failures open a breaker for a minute: nothing here waits for it to pass. */
    private static final FailoverConfig CONFIG = FailoverConfig.builder().maxRetries(0).consecutiveFailureThreshold(2)
            .breakerDelay(Duration.ofMinutes(1)).build();

    private final ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").build().start();
    private final ChaosOpenAiServer backup = ChaosOpenAiServer.builder().name("backup").build().start();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private RedisServer redis;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        primary.close();
        backup.close();
        if (redis != null) {
            redis.close();
        }
    }

    private Replica replica(String name, FailoverConfig config) {
        Replica replica = Replica.of(name, redis, "app", config, primary, backup);
        closeables.add(0, replica);
        return replica.awaitSharing();
    }

    @Test
    void should_skip_the_target_on_every_replica_when_one_replica_opened_its_breaker() {
        // given
        Replica a = replica("a", CONFIG);
        Replica b = replica("b", CONFIG);
        primary.inject(Fault.httpStatus(503));
        // when
        assertThat(a.chat()).isEqualTo("backup");
        assertThat(a.chat()).isEqualTo("backup");
        // then
        assertThat(a.state("primary")).isEqualTo(CircuitState.OPEN);
        await(() -> b.state("primary") == CircuitState.OPEN, WAIT, "b sees the primary open");
        for (int i = 0; i < 5; i++) {
            assertThat(b.chat()).isEqualTo("backup");
        }
        assertThat(b.requestsTo(primary)).isZero();
        assertThat(b.health("primary").openReason()).isEqualTo(SkipReason.CIRCUIT_OPEN);
        assertThat(b.events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(FailoverEvent.CircuitStateChanged.class,
                changed -> assertThat(changed.to()).isEqualTo(CircuitState.OPEN)));
        assertThat(b.events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(FailoverEvent.TargetSkipped.class,
                skipped -> assertThat(skipped.reason()).isEqualTo(SkipReason.CIRCUIT_OPEN)));
    }

    @Test
    void should_open_the_breaker_everywhere_when_the_fleet_together_reaches_the_failure_threshold() {
        // given: each replica sees one failure, below the threshold of two
        Replica a = replica("a", CONFIG);
        Replica b = replica("b", CONFIG);
        primary.inject(Fault.httpStatus(503));
        // when
        a.chat();
        b.chat();
        // then
        await(() -> a.state("primary") == CircuitState.OPEN && b.state("primary") == CircuitState.OPEN, WAIT,
                "both replicas see the primary open after one failure each");
        assertThat(a.chat()).isEqualTo("backup");
        assertThat(b.chat()).isEqualTo("backup");
        assertThat(primary.requestCount()).isEqualTo(2);
    }

    @Test
    void should_keep_every_replica_away_when_one_replica_got_a_429_with_retry_after() {
        // given
        Replica a = replica("a", CONFIG);
        Replica b = replica("b", CONFIG);
        primary.injectNext(1, Fault.rateLimited(Duration.ofSeconds(30)));
        // when
        assertThat(a.chat()).isEqualTo("backup");
        // then
        await(() -> b.health("primary").rateLimitedUntil() != null, WAIT, "b sees the primary rate-limited");
        for (int i = 0; i < 5; i++) {
            assertThat(b.chat()).isEqualTo("backup");
        }
        assertThat(b.requestsTo(primary)).isZero();
        Duration left = Duration.between(Instant.now(), b.health("primary").rateLimitedUntil());
        assertThat(left).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(30));
        assertThat(b.events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(FailoverEvent.TargetSkipped.class,
                skipped -> assertThat(skipped.reason()).isEqualTo(SkipReason.RATE_LIMITED)));
    }

    @Test
    void should_disable_the_target_everywhere_when_one_replica_got_a_401() {
        // given
        Replica a = replica("a", CONFIG);
        Replica b = replica("b", CONFIG);
        primary.inject(Fault.authenticationFailed());
        // when
        assertThat(a.chat()).isEqualTo("backup");
        // then
        await(() -> b.state("primary") == CircuitState.OPEN, WAIT, "b sees the primary disabled");
        assertThat(b.health("primary").openReason()).isEqualTo(SkipReason.AUTHENTICATION_FAILED);
        assertThat(b.chat()).isEqualTo("backup");
        assertThat(b.requestsTo(primary)).isZero();
    }

    @Test
    void should_cool_the_target_down_everywhere_when_one_replica_got_a_404() {
        // given
        Replica a = replica("a", CONFIG);
        Replica b = replica("b", CONFIG);
        primary.inject(Fault.modelNotFound());
        // when
        assertThat(a.chat()).isEqualTo("backup");
        // then
        await(() -> b.state("primary") == CircuitState.OPEN, WAIT, "b sees the primary cooling down");
        assertThat(b.health("primary").openReason()).isEqualTo(SkipReason.MODEL_NOT_FOUND);
        Duration left = Duration.between(Instant.now(), b.health("primary").openUntil());
        assertThat(left).isBetween(FailoverConfig.DEFAULT_MODEL_NOT_FOUND_COOLDOWN.minusSeconds(10),
                FailoverConfig.DEFAULT_MODEL_NOT_FOUND_COOLDOWN);
        assertThat(b.chat()).isEqualTo("backup");
        assertThat(b.requestsTo(primary)).isZero();
    }

    @Test
    void should_pick_up_what_is_open_when_a_replica_starts_late() {
        // given
        Replica a = replica("a", CONFIG);
        primary.inject(Fault.httpStatus(503));
        a.chat();
        a.chat();
        assertThat(a.state("primary")).isEqualTo(CircuitState.OPEN);
        // when
        Replica late = replica("late", CONFIG);
        // then
        await(() -> late.state("primary") == CircuitState.OPEN, WAIT, "the late replica sees the primary open");
        assertThat(late.chat()).isEqualTo("backup");
        assertThat(late.requestsTo(primary)).isZero();
    }

    @Test
    void should_let_one_replica_try_the_target_and_close_it_everywhere_when_it_recovered() {
        // given: the primary opened for 300 ms; two trial successes close it
        FailoverConfig config = CONFIG.toBuilder().breakerDelay(Duration.ofMillis(300)).halfOpenSuccessThreshold(2).build();
        Replica a = replica("a", config);
        Replica b = replica("b", config);
        primary.inject(Fault.httpStatus(503));
        a.chat();
        a.chat();
        await(() -> b.state("primary") == CircuitState.OPEN, WAIT, "b sees the primary open");
        primary.clearFaults();
        int before = primary.requestCount();
        // when: both replicas keep calling
        await(() -> {
            a.chat();
            b.chat();
            return a.state("primary") == CircuitState.CLOSED && b.state("primary") == CircuitState.CLOSED;
        }, WAIT, "both replicas close the primary");
        // then: the trials (the first two requests after recovery) came from one replica
        List<RecordedChatRequest> after = primary.requests().subList(before, primary.requestCount());
        assertThat(after).hasSizeGreaterThanOrEqualTo(2);
        assertThat(after.get(0).lastUserText()).startsWith("hello from ");
        assertThat(after.get(1).lastUserText()).isEqualTo(after.get(0).lastUserText());
        assertThat(a.chat()).isEqualTo("primary");
        assertThat(b.chat()).isEqualTo("primary");
    }

    @Test
    void should_clear_the_target_everywhere_when_an_operator_resets_it_on_one_replica() {
        // given
        Replica a = replica("a", CONFIG);
        Replica b = replica("b", CONFIG);
        primary.inject(Fault.authenticationFailed());
        a.chat();
        await(() -> b.state("primary") == CircuitState.OPEN, WAIT, "b sees the primary disabled");
        primary.clearFaults();
        // when
        a.group.resetHealth("primary");
        // then
        await(() -> b.state("primary") == CircuitState.CLOSED, WAIT, "b sees the primary cleared");
        assertThat(b.chat()).isEqualTo("primary");
        assertThat(a.chat()).isEqualTo("primary");
    }

    @Test
    void should_write_only_ttled_keys_without_secrets_when_targets_fail_in_every_way() throws Exception {
        // given: a subscriber to the namespace's channel
        List<String> published = new CopyOnWriteArrayList<>();
        RedisClient inspector = RedisClient.create(redis.uri());
        try (StatefulRedisPubSubConnection<String, String> pubSub = inspector.connectPubSub();
             StatefulRedisConnection<String, String> connection = inspector.connect()) {
            pubSub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    published.add(message);
                }
            });
            pubSub.sync().subscribe("app:fleet");
            Replica a = replica("a", CONFIG);
            // when: failures open the primary, then a 429, then a 401
            primary.injectNext(2, Fault.httpStatus(503));
            a.chat();
            a.chat();
            a.group.resetHealth("primary");
            primary.injectNext(1, Fault.rateLimited(Duration.ofSeconds(30)));
            a.chat();
            a.group.resetHealth("primary");
            primary.inject(Fault.authenticationFailed());
            a.chat();
            await(() -> published.size() >= 5, WAIT, "the facts are published: " + published);
            // then
            RedisCommands<String, String> redisCommands = connection.sync();
            List<String> keys = redisCommands.keys("*");
            assertThat(keys).isNotEmpty().allSatisfy(key -> {
                assertThat(key).startsWith("app:{");
                assertThat(redisCommands.pttl(key)).as("TTL of %s", key).isPositive();
                String value = "string".equals(redisCommands.type(key)) ? redisCommands.get(key) : "";
                assertThat(key + value).doesNotContain("SECRET", "hello");
            });
            assertThat(published).allSatisfy(message -> assertThat(message).doesNotContain("SECRET", "hello"));
        } finally {
            inspector.shutdown();
        }
    }
}
