package dev.failover4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover4j.FailoverConfig;
import dev.failover4j.FailoverEvent;
import dev.failover4j.SkipReason;
import dev.failover4j.testkit.ChaosOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fleet-wide budgets on a real redis-server: replicas share one quota, spend local leases, and fall back to a share. */
class FleetBudgetWireTest {

    private static final FailoverConfig CONFIG = FailoverConfig.builder().maxRetries(0).build();

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
        redis.close();
    }

    /** A replica whose primary has a budget (the backup has none), in one-minute windows: none ends during a test. */
    private Replica replica(String name, UnaryOperator<dev.failover4j.OpenAiCompatibleTargetBuilder> budget) {
        RedisTargetState fleet = RedisTargetState.using(redis.uri()).namespace("app").commandTimeout(Duration.ofMillis(500))
                .syncInterval(Duration.ofMillis(200));
        Replica replica = new Replica(name, fleet, CONFIG,
                List.of(budget.apply(Replica.target(primary, name)).build(), Replica.target(backup, name).build()));
        closeables.add(0, replica);
        return replica.awaitSharing();
    }

    @Test
    void should_serve_exactly_the_fleet_budget_from_the_target_when_two_replicas_share_it() {
        // given: 20 requests per minute for the whole fleet
        Replica a = replica("a", t -> t.requestsPerMinute(20));
        Replica b = replica("b", t -> t.requestsPerMinute(20));
        // when: 60 calls, alternating
        for (int i = 0; i < 30; i++) {
            a.chat();
            b.chat();
        }
        // then: the primary served 20 in all (in-memory budgets would have served 40), the backup the rest
        assertThat(primary.requestCount()).isEqualTo(20);
        assertThat(backup.requestCount()).isEqualTo(40);
        assertThat(a.requestsTo(primary)).isPositive();
        assertThat(b.requestsTo(primary)).isPositive();
        assertThat(b.events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(FailoverEvent.TargetSkipped.class,
                skipped -> assertThat(skipped.reason()).isEqualTo(SkipReason.BUDGET_EXHAUSTED)));
    }

    @Test
    void should_share_a_tokens_budget_when_two_replicas_spend_it() {
        // given: a tokens budget worth ten calls for the whole fleet (a call is charged its prompt, then its output)
        Replica measure = replica("measure", t -> t);
        dev.langchain4j.model.chat.response.ChatResponse one = measure.group.chatModel()
                .chat(dev.langchain4j.model.chat.request.ChatRequest.builder()
                        .messages(dev.langchain4j.data.message.UserMessage.from("hello from a")).build());
        int perCall = one.tokenUsage().totalTokenCount();
        Replica a = replica("a", t -> t.tokensPerMinute(10 * perCall));
        Replica b = replica("b", t -> t.tokensPerMinute(10 * perCall));
        int before = primary.requestCount();
        // when
        for (int i = 0; i < 20; i++) {
            a.chat();
            b.chat();
        }
        // then: about ten calls in all (budgets of their own would have served about twenty), from both replicas
        int served = primary.requestCount() - before;
        assertThat(served).isBetween(8, 12);
        assertThat(a.requestsTo(primary)).isPositive();
        assertThat(b.requestsTo(primary)).isPositive();
        assertThat(backup.requestCount()).isEqualTo(40 - served);
    }

    @Test
    void should_spend_only_its_share_when_redis_is_gone() {
        // given: two replicas used a budget of 20 together, then Redis dies
        Replica a = replica("a", t -> t.requestsPerMinute(20));
        Replica b = replica("b", t -> t.requestsPerMinute(20));
        for (int i = 0; i < 3; i++) {
            a.chat();
            b.chat();
        }
        redis.kill();
        Replica.await(() -> !a.fleet.isSharing() && !b.fleet.isSharing(), Duration.ofSeconds(5), "both notice Redis is gone");
        long beforeA = a.requestsTo(primary);
        // when
        for (int i = 0; i < 30; i++) {
            a.chat();
        }
        // then: a spends at most half of the budget in its own window (plus what its lease still held), never the whole
        assertThat(a.requestsTo(primary) - beforeA).isBetween(1L, 10L + 2L);
    }

    @Test
    void should_reject_a_budget_window_shorter_than_100_ms() {
        assertThatThrownBy(() -> RedisTargetState.using("redis://127.0.0.1:1").budgetWindow(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.01S");
    }
}
