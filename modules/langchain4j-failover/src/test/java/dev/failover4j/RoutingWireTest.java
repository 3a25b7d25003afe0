package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover4j.support.RecordingHandler;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tiers and routing strategies at the wire: real OpenAiChatModels against testkit servers. */
class RoutingWireTest {

    private final List<ChaosOpenAiServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ChaosOpenAiServer::close);
    }

    private ChaosOpenAiServer server(String name) {
        ChaosOpenAiServer server = ChaosOpenAiServer.builder().name(name).replyText("from " + name).baseLatency(Duration.ZERO)
                .build().start();
        servers.add(server);
        return server;
    }

    private static OpenAiCompatibleTargetBuilder target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl()).apiKey("sk-test-" + server.name() + "-000000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000);
    }

    private static String chat(FailoverGroup group) {
        ChatResponse response = group.chatModel().chat(UserMessage.from("hi"));
        return ((FailoverChatResponseMetadata) response.metadata()).targetName();
    }

    @Test
    void should_split_calls_exactly_in_turn_when_a_tier_routes_round_robin() {
        // given
        ChaosOpenAiServer a = server("a");
        ChaosOpenAiServer b = server("b");
        ChaosOpenAiServer c = server("c");
        try (FailoverGroup group = FailoverGroup.builder().routing(RoutingStrategy.roundRobin())
                .targets(target(a).priority(0).build(), target(b).priority(0).build(), target(c).priority(1).build()).build()) {
            // when
            for (int i = 0; i < 100; i++) {
                chat(group);
            }
            // then
            assertThat(a.requestCount()).isEqualTo(50);
            assertThat(b.requestCount()).isEqualTo(50);
            assertThat(c.requestCount()).isZero();
        }
    }

    @Test
    void should_split_a_3_to_1_weighted_tier_75_25_and_follow_a_weight_changed_at_run_time() {
        // given
        ChaosOpenAiServer a = server("a");
        ChaosOpenAiServer b = server("b");
        try (FailoverGroup group = FailoverGroup.builder().routing(RoutingStrategy.weighted())
                .targets(target(a).priority(0).weight(3).build(), target(b).priority(0).weight(1).build()).build()) {
            // when
            for (int i = 0; i < 400; i++) {
                chat(group);
            }
            int aBefore = a.requestCount();
            group.setWeight("b", 3);
            for (int i = 0; i < 200; i++) {
                chat(group);
            }
            // then: smooth weighted round-robin is exact (3 of every 4), so 400 calls show what 10,000 would
            assertThat(aBefore).isEqualTo(300);
            assertThat(b.requestCount() - 100).isEqualTo(100);
            assertThat(a.requestCount() - aBefore).isEqualTo(100);
        }
    }

    @Test
    void should_fail_over_through_the_rest_of_the_tier_before_the_next_tier() {
        // given: both targets of the first tier down
        ChaosOpenAiServer a = server("a");
        ChaosOpenAiServer b = server("b");
        ChaosOpenAiServer c = server("c");
        a.inject(Fault.httpStatus(503));
        try (FailoverGroup group = FailoverGroup.builder().routing(RoutingStrategy.roundRobin()).maxRetries(0)
                .targets(target(a).priority(0).build(), target(b).priority(0).build(), target(c).priority(1).build()).build()) {
            // when
            List<String> servedBy = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                servedBy.add(chat(group));
            }
            b.inject(Fault.httpStatus(503));
            group.resetHealth("a");
            String lastTier = chat(group);
            // then
            assertThat(servedBy).containsOnly("b");
            assertThat(lastTier).isEqualTo("c");
        }
    }

    @Test
    void should_move_traffic_to_the_faster_target_and_back_when_least_latency_routes() {
        // given
        ChaosOpenAiServer a = server("a");
        ChaosOpenAiServer b = server("b");
        // one call in fifty explores: at most 5 of 50 measured calls elsewhere is then all but certain (P(X ≥ 6) ≈ 0.05 %)
        try (FailoverGroup group = FailoverGroup.builder().routing(RoutingStrategy.leastLatency(0.02))
                .targets(target(a).priority(0).build(), target(b).priority(0).build()).build()) {
            for (int i = 0; i < 20; i++) {
                chat(group); // both sampled
            }
            // when: a's latency triples (and more); 50 calls to notice, then 50 measured
            a.inject(Fault.latency(Duration.ofMillis(60)));
            for (int i = 0; i < 50; i++) {
                chat(group);
            }
            int toB = 0;
            for (int i = 0; i < 50; i++) {
                toB += chat(group).equals("b") ? 1 : 0;
            }
            // and then b gets slower than a ever was while a recovers: a is tried again and found fast
            a.clearFaults();
            b.inject(Fault.latency(Duration.ofMillis(150)));
            for (int i = 0; i < 50; i++) {
                chat(group);
            }
            int toA = 0;
            for (int i = 0; i < 50; i++) {
                toA += chat(group).equals("a") ? 1 : 0;
            }
            // then: at least 90 % once noticed (the rest: one call in twenty explores)
            assertThat(toB).as("calls to b once a was slow").isGreaterThanOrEqualTo(45);
            assertThat(toA).as("calls to a once it recovered and b was slow").isGreaterThanOrEqualTo(45);
        }
    }

    @Test
    void should_pick_the_cheapest_target_the_request_fits_when_lowest_cost_routes() {
        // given: b is ten times cheaper but has a small window
        ChaosOpenAiServer a = server("a");
        ChaosOpenAiServer b = server("b");
        try (FailoverGroup group = FailoverGroup.builder().routing(RoutingStrategy.lowestCost())
                .targets(target(a).priority(0).price(TokenPrice.perMillion("2.50", "10.00")).build(),
                        target(b).priority(0).price(TokenPrice.perMillion("0.25", "1.00")).contextWindowTokens(1_000).build())
                .build()) {
            // when
            String shortOne = chat(group);
            ChatResponse longOne = group.chatModel().chat(UserMessage.from("word ".repeat(2_000)));
            // then
            assertThat(shortOne).isEqualTo("b");
            assertThat(((FailoverChatResponseMetadata) longOne.metadata()).targetName()).isEqualTo("a");
        }
    }

    @Test
    void should_route_streams_the_same_way() throws Exception {
        // given
        ChaosOpenAiServer a = server("a");
        ChaosOpenAiServer b = server("b");
        try (FailoverGroup group = FailoverGroup.builder().routing(RoutingStrategy.roundRobin())
                .targets(target(a).priority(0).build(), target(b).priority(0).build()).build()) {
            // when
            for (int i = 0; i < 10; i++) {
                RecordingHandler handler = new RecordingHandler();
                group.streamingChatModel().chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), handler);
                handler.await(Duration.ofSeconds(10));
            }
            // then
            assertThat(a.requestCount()).isEqualTo(5);
            assertThat(b.requestCount()).isEqualTo(5);
        }
    }

    @Test
    void should_reject_a_strategy_that_returns_other_than_its_tier_naming_it() {
        // given
        ChaosOpenAiServer a = server("a");
        ChaosOpenAiServer b = server("b");
        RoutingStrategy dropsOne = tier -> tier.subList(0, 1);
        try (FailoverGroup group = FailoverGroup.builder().routing(dropsOne)
                .targets(target(a).priority(0).build(), target(b).priority(0).build()).build()) {
            // when / then
            assertThatThrownBy(() -> chat(group)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("[a, b]").hasMessageContaining("returned [a]");
        }
    }

    @Test
    void should_reject_bad_routing_input_at_build_time_naming_the_value() {
        ChaosOpenAiServer a = server("a");
        ChaosOpenAiServer b = server("b");
        assertThatThrownBy(() -> target(a).weight(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight of target 'a' must be positive but was 0");
        assertThatThrownBy(() -> target(a).priority(-1).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("priority of target 'a' must not be negative but was -1");
        assertThatThrownBy(() -> FailoverGroup.builder().targets(target(a).priority(0).build(), target(b).build()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set priority on every target or on none")
                .hasMessageContaining("[a]");
        assertThatThrownBy(() -> RoutingStrategy.leastLatency(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("explorationRate must be in [0, 1] but was 1.5");
        try (FailoverGroup group = FailoverGroup.builder().targets(target(a).build()).build()) {
            assertThatThrownBy(() -> group.setWeight("a", -1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("weight of target 'a' must not be negative but was -1");
            assertThatThrownBy(() -> group.setWeight("nobody", 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no target named 'nobody'");
        }
    }
}
