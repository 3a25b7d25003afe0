package dev.failover4j.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover4j.FailoverGroup;
import dev.failover4j.spring.FailoverAutoConfiguration;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class FailoverActuatorTest {

    private static final String KEY = "sk-test-actuator-6b1e9d4c2a";
    private static final ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").build().start();
    private static final ChaosOpenAiServer secondary = ChaosOpenAiServer.builder().name("secondary").build().start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FailoverAutoConfiguration.class, FailoverHealthAutoConfiguration.class,
                    FailoverActuatorAutoConfiguration.class))
            .withPropertyValues(
                    "management.endpoints.web.exposure.include=failover",
                    "langchain4j.failover.max-retries=0",
                    "langchain4j.failover.breaker.consecutive-failures=1",
                    "langchain4j.failover.breaker.delay=1h",
                    "langchain4j.failover.targets[0].name=primary",
                    "langchain4j.failover.targets[0].base-url=" + primary.baseUrl(),
                    "langchain4j.failover.targets[0].api-key=" + KEY,
                    "langchain4j.failover.targets[0].model=gpt-4o-mini",
                    "langchain4j.failover.targets[0].context-window=16000",
                    "langchain4j.failover.targets[1].name=secondary",
                    "langchain4j.failover.targets[1].base-url=" + secondary.baseUrl(),
                    "langchain4j.failover.targets[1].no-api-key=true",
                    "langchain4j.failover.targets[1].model=gpt-4o-mini",
                    "langchain4j.failover.targets[1].context-window=16000");

    @AfterAll
    static void stop() {
        primary.close();
        secondary.close();
    }

    @BeforeEach
    void reset() {
        primary.reset();
        secondary.reset();
    }

    @Test
    void should_be_up_and_not_degraded_when_the_first_tier_serves() {
        runner.run(context -> {
            Health health = context.getBean(FailoverHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("degraded", false).containsEntry("servingTier", 0);
            assertThat(targetDetails(health, "primary")).containsEntry("state", "CLOSED").containsEntry("available", true);
        });
    }

    @Test
    void should_be_up_and_degraded_when_only_a_fallback_serves() {
        primary.inject(Fault.httpStatus(500));
        runner.run(context -> {
            // when: one failure opens the primary's breaker
            context.getBean(ChatModel.class).chat(request());

            // then
            Health health = context.getBean(FailoverHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("degraded", true).containsEntry("servingTier", 1);
            assertThat(targetDetails(health, "primary")).containsEntry("state", "OPEN").containsEntry("available", false)
                    .containsEntry("openReason", "CIRCUIT_OPEN").containsEntry("consecutiveFailures", 1);
            assertThat(targetDetails(health, "secondary")).containsEntry("state", "CLOSED");
        });
    }

    @Test
    void should_be_down_when_no_target_can_serve() {
        primary.inject(Fault.httpStatus(500));
        secondary.inject(Fault.httpStatus(503));
        runner.run(context -> {
            assertThatThrownBy(() -> context.getBean(ChatModel.class).chat(request())).isNotNull();

            Health health = context.getBean(FailoverHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("servingTier", -1);
        });
    }

    @Test
    void should_show_every_target_in_the_snapshot_and_reset_one_when_asked() {
        primary.inject(Fault.httpStatus(500));
        runner.run(context -> {
            // given
            context.getBean(ChatModel.class).chat(request());
            FailoverEndpoint endpoint = context.getBean(FailoverEndpoint.class);
            FailoverSnapshot before = endpoint.snapshot();
            assertThat(before.status()).isEqualTo(FailoverSnapshot.DEGRADED);
            assertThat(before.targets()).extracting(FailoverSnapshot.Target::name).containsExactly("primary", "secondary");
            assertThat(before.targets().get(0).state()).isEqualTo("OPEN");
            assertThat(before.targets().get(0).failures()).isEqualTo(1);
            assertThat(before.targets().get(1).servedShare()).isEqualTo(1.0);
            assertThat(before.targets().get(1).tier()).isEqualTo(1);

            // when
            Map<String, Object> result = endpoint.act("reset", "primary");

            // then
            assertThat(result).containsEntry("done", true).containsEntry("state", "CLOSED");
            assertThat(endpoint.snapshot().status()).isEqualTo(FailoverSnapshot.UP);
        });
    }

    @Test
    void should_probe_a_target_when_asked() {
        runner.run(context -> {
            Map<String, Object> result = context.getBean(FailoverEndpoint.class).act("probe", "secondary");
            assertThat(result).containsEntry("answered", true);
            assertThat(secondary.requestCount()).isEqualTo(1);
        });
    }

    @Test
    void should_reject_an_unknown_action_or_target_as_a_bad_request() {
        runner.run(context -> {
            FailoverEndpoint endpoint = context.getBean(FailoverEndpoint.class);
            assertThatThrownBy(() -> endpoint.act("explode", "primary")).isInstanceOf(InvalidEndpointRequestException.class)
                    .hasMessageContaining("reset");
            assertThatThrownBy(() -> endpoint.act("reset", "nobody")).isInstanceOf(InvalidEndpointRequestException.class)
                    .hasMessageContaining("nobody");
        });
    }

    @Test
    void should_show_no_key_when_the_snapshot_and_health_are_printed() {
        runner.run(context -> {
            FailoverGroup group = context.getBean(FailoverGroup.class);
            assertThat(String.valueOf(context.getBean(FailoverEndpoint.class).snapshot())).doesNotContain(KEY);
            assertThat(String.valueOf(context.getBean(FailoverHealthIndicator.class).health())).doesNotContain(KEY);
            assertThat(group.toString()).doesNotContain(KEY);
            assertThat(context.getBean(dev.failover4j.spring.FailoverProperties.class).toString()).doesNotContain(KEY)
                    .contains("****");
        });
    }

    @Test
    void should_not_create_the_endpoint_when_it_is_not_exposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=health").run(context -> {
            assertThat(context).hasSingleBean(FailoverHealthIndicator.class).doesNotHaveBean(FailoverEndpoint.class);
        });
    }

    @Test
    void should_not_create_the_health_contributor_when_it_is_disabled() {
        runner.withPropertyValues("management.health.failover.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(FailoverHealthIndicator.class).hasSingleBean(FailoverEndpoint.class);
        });
    }

    @Test
    void should_create_neither_when_actuator_is_absent() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
                .run(context -> {
                    assertThat(context).hasSingleBean(FailoverGroup.class).doesNotHaveBean(FailoverHealthIndicator.class)
                            .doesNotHaveBean(FailoverEndpoint.class);
                });
    }

    @Test
    void should_create_neither_when_there_is_no_group() {
        runner.withPropertyValues("langchain4j.failover.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FailoverHealthIndicator.class)
                    .doesNotHaveBean(FailoverEndpoint.class);
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> targetDetails(Health health, String target) {
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("targets")).get(target);
    }

    private static ChatRequest request() {
        return ChatRequest.builder().messages(UserMessage.from("Hello")).build();
    }
}
