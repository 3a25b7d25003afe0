package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover4j.support.MutableClock;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A canary ramp at the wire: promoted step by step while healthy, rolled back by itself when it fails. */
class CanaryWireTest {

    private final List<ChaosOpenAiServer> servers = new ArrayList<>();
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();
    private final MutableClock clock = MutableClock.atEpochPlusOneDay();

    @AfterEach
    void stop() {
        servers.forEach(ChaosOpenAiServer::close);
    }

    private ChaosOpenAiServer server(String name) {
        ChaosOpenAiServer server = ChaosOpenAiServer.builder().name(name).replyText("ok").build().start();
        servers.add(server);
        return server;
    }

    private static OpenAiCompatibleTargetBuilder target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl()).apiKey("sk-test-" + server.name() + "-000000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000).priority(0);
    }

    private FailoverGroup group(ChaosOpenAiServer stable, ChaosOpenAiServer canary) {
        return FailoverGroup.builder().clock(clock).maxRetries(0).routing(RoutingStrategy.weighted()).listener(events::add)
                .targets(target(stable).weight(9).build(), target(canary).build())
                .canary(CanaryRamp.builder("canary").steps(10, 50, 100).stepDuration(Duration.ofMinutes(1))
                        .maxErrorRate(0.2).minAttemptsPerStep(10).build())
                .build();
    }

    private static String chat(FailoverGroup group) {
        ChatResponse response = group.chatModel().chat(UserMessage.from("hi"));
        return ((FailoverChatResponseMetadata) response.metadata()).targetName();
    }

    private List<Integer> steps() {
        return events.stream().filter(FailoverEvent.CanaryStepped.class::isInstance)
                .map(e -> ((FailoverEvent.CanaryStepped) e).percent()).toList();
    }

    @Test
    void should_promote_a_healthy_canary_step_by_step_until_it_takes_the_whole_tier() {
        // given
        ChaosOpenAiServer stable = server("stable");
        ChaosOpenAiServer canary = server("canary");
        try (FailoverGroup group = group(stable, canary)) {
            // when: at 10 %, 100 calls give the canary its 10 attempts
            for (int i = 0; i < 100; i++) {
                chat(group);
            }
            int atTenPercent = canary.requestCount();
            clock.advance(Duration.ofMinutes(1));
            for (int i = 0; i < 40; i++) {
                chat(group); // the step ends with the next canary attempt; then 50 %
            }
            clock.advance(Duration.ofMinutes(1));
            for (int i = 0; i < 40; i++) {
                chat(group);
            }
            int stableBefore = stable.requestCount();
            for (int i = 0; i < 20; i++) {
                chat(group);
            }
            // then
            assertThat(atTenPercent).isEqualTo(10);
            assertThat(steps()).containsExactly(10, 50, 100);
            assertThat(stable.requestCount()).isEqualTo(stableBefore); // at 100 % the canary serves everything
        }
    }

    @Test
    void should_roll_a_failing_canary_back_within_its_first_step_with_no_user_facing_error() {
        // given: half of the canary's answers are 503s
        ChaosOpenAiServer stable = server("stable");
        ChaosOpenAiServer canary = server("canary");
        canary.inject(Fault.httpStatus(503).withProbability(0.5));
        try (FailoverGroup group = group(stable, canary)) {
            // when: every call is served (the stable target takes what the canary fails)
            List<String> servedBy = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                servedBy.add(chat(group));
            }
            int canaryAfterRollback = canary.requestCount();
            for (int i = 0; i < 50; i++) {
                chat(group);
            }
            // then
            assertThat(servedBy).hasSize(200);
            assertThat(events).filteredOn(FailoverEvent.CanaryRolledBack.class::isInstance).singleElement()
                    .satisfies(e -> {
                        FailoverEvent.CanaryRolledBack rolledBack = (FailoverEvent.CanaryRolledBack) e;
                        assertThat(rolledBack.percent()).isEqualTo(10);
                        assertThat(rolledBack.errorRate()).isGreaterThan(0.2);
                    });
            assertThat(steps()).containsExactly(10);
            assertThat(canary.requestCount()).isEqualTo(canaryAfterRollback); // weight 0: no more calls
        }
    }

    @Test
    void should_reject_a_bad_ramp_naming_the_value() {
        assertThatThrownBy(() -> CanaryRamp.builder("c").steps(30, 10).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("steps of the canary ramp of 'c' must be increasing percentages in (0, 100] but were [30, 10]");
        assertThatThrownBy(() -> CanaryRamp.builder("c").steps(10, 120).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[10, 120]");
        assertThatThrownBy(() -> CanaryRamp.builder("c").maxErrorRate(1.5).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxErrorRate must be in [0, 1) but was 1.5");
        ChaosOpenAiServer a = server("a");
        assertThatThrownBy(() -> FailoverGroup.builder().targets(target(a).build())
                .canary(CanaryRamp.builder("a").build()).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the canary 'a' is alone in its tier (priority 0)");
    }
}
