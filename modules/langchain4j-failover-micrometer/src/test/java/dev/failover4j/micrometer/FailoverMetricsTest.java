package dev.failover4j.micrometer;

import static dev.failover4j.micrometer.OpenAiResponses.badRequest;
import static dev.failover4j.micrometer.OpenAiResponses.ok;
import static dev.failover4j.micrometer.OpenAiResponses.serverError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.failover4j.FailoverException;
import dev.failover4j.FailoverGroup;
import dev.failover4j.FailoverTarget;
import dev.failover4j.TokenPrice;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The meters, checked against real OpenAiChatModel targets talking HTTP to MockWebServer. */
class FailoverMetricsTest {

    static final String PRIMARY_KEY = "sk-live-primary-SECRET-0123456789abcdef";
    static final String BACKUP_KEY = "sk-live-backup-SECRET-0123456789abcdef";

    private final MockWebServer primary = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private FailoverGroup group;

    @BeforeEach
    void start() throws IOException {
        primary.start();
        backup.start();
    }

    @AfterEach
    void stop() {
        if (group != null) {
            group.close();
        }
        primary.close();
        backup.close();
    }

    /** Primary then backup; the backup is priced 1 per million input tokens and 2 per million output tokens. */
    static FailoverGroup group(MockWebServer primary, MockWebServer backup) {
        return FailoverGroup.builder()
                .targets(target("primary", primary, PRIMARY_KEY, 8_000, null),
                        target("backup", backup, BACKUP_KEY, 8_000, TokenPrice.perMillion("1", "2")))
                .maxRetries(0)
                // two failures open the primary's breaker for the rest of the test: the third call skips it
                .config(dev.failover4j.FailoverConfig.builder().consecutiveFailureThreshold(2)
                        .breakerDelay(Duration.ofDays(1)).build())
                .build();
    }

    static FailoverTarget target(String name, MockWebServer server, String key, int window, TokenPrice price) {
        return FailoverTarget.openAiCompatible(name).baseUrl(server.url("/v1").toString()).apiKey(key)
                .modelName("gpt-4o-mini").contextWindowTokens(window).maxOutputTokens(256).price(price).build();
    }

    /** Three calls: the primary answers 503 twice (its breaker opens), then is skipped; the backup serves all three. */
    static void threeCallsServedByTheBackup(ChatModel model, MockWebServer primary, MockWebServer backup) {
        for (int i = 0; i < 3; i++) {
            primary.enqueue(serverError());
            backup.enqueue(ok("from backup " + i));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(model.chat("hello " + i)).isEqualTo("from backup " + i);
        }
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void should_count_failed_over_calls_attempts_by_kind_and_skips_when_the_primary_answers_503_and_the_backup_serves() {
        // given
        group = group(primary, backup);
        FailoverMetrics.bind(group, registry);

        // when
        threeCallsServedByTheBackup(group.chatModel(), primary, backup);

        // then
        assertThat(count(FailoverMetrics.CALLS, "outcome", "failed_over")).isEqualTo(3);
        assertThat(registry.find(FailoverMetrics.CALLS).tag("outcome", "served").counter()).isNull();
        assertThat(count(FailoverMetrics.ATTEMPTS, "target", "primary", "outcome", "failed", "kind", "server_error"))
                .isEqualTo(2);
        assertThat(count(FailoverMetrics.ATTEMPTS, "target", "backup", "outcome", "succeeded", "kind", "none"))
                .isEqualTo(3);
        assertThat(registry.find(FailoverMetrics.ATTEMPTS).tag("target", "primary").tag("outcome", "succeeded").counter())
                .isNull();
        assertThat(count(FailoverMetrics.SKIPS, "target", "primary", "reason", "circuit_open")).isEqualTo(1);
        assertThat(count(FailoverMetrics.CIRCUIT_TRANSITIONS, "target", "primary", "to", "open")).isEqualTo(1);
        assertThat(primary.getRequestCount()).as("the open breaker kept the third call off the wire").isEqualTo(2);
    }

    @Test
    void should_report_an_open_circuit_as_2_and_a_closed_one_as_0_when_the_breaker_opened() {
        // given
        group = group(primary, backup);
        FailoverMetrics.bind(group, registry);
        assertThat(registry.get(FailoverMetrics.CIRCUIT_STATE).tag("target", "primary").gauge().value()).isZero();

        // when
        threeCallsServedByTheBackup(group.chatModel(), primary, backup);

        // then
        assertThat(registry.get(FailoverMetrics.CIRCUIT_STATE).tag("target", "primary").gauge().value()).isEqualTo(2);
        assertThat(registry.get(FailoverMetrics.CIRCUIT_STATE).tag("target", "backup").gauge().value()).isZero();
    }

    @Test
    void should_time_each_call_and_sum_its_token_usage_under_the_serving_target_when_calls_are_served() {
        // given
        group = group(primary, backup);
        FailoverMetrics.bind(group, registry);

        // when
        threeCallsServedByTheBackup(group.chatModel(), primary, backup);
        backup.enqueue(ok("at once"));
        group.chatModel().chat("served at once? the primary is open, so this is failed over too");

        // then
        var duration = registry.get(FailoverMetrics.OPERATION_DURATION)
                .tags("gen_ai.operation.name", "chat", "gen_ai.request.model", "gpt-4o-mini", "target", "backup",
                        "outcome", "failed_over", "error.type", "none")
                .timer();
        assertThat(duration.count()).isEqualTo(4);
        assertThat(duration.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
        var input = registry.get(FailoverMetrics.TOKEN_USAGE).tags("target", "backup", "gen_ai.token.type", "input")
                .summary();
        var output = registry.get(FailoverMetrics.TOKEN_USAGE).tags("target", "backup", "gen_ai.token.type", "output")
                .summary();
        assertThat(input.count()).isEqualTo(4);
        assertThat(input.totalAmount()).isEqualTo(4 * 12);
        assertThat(output.totalAmount()).isEqualTo(4 * 3);
        assertThat(input.getId().getBaseUnit()).isEqualTo("tokens");
        assertThat(registry.find(FailoverMetrics.TOKEN_USAGE).tag("target", "primary").meters()).isEmpty();
    }

    @Test
    void should_count_served_calls_apart_from_failed_over_ones_when_the_primary_answers() {
        // given
        group = group(primary, backup);
        FailoverMetrics.bind(group, registry);
        primary.enqueue(ok("from primary"));

        // when
        group.chatModel().chat("hello");

        // then
        assertThat(count(FailoverMetrics.CALLS, "outcome", "served")).isEqualTo(1);
        assertThat(registry.find(FailoverMetrics.CALLS).tag("outcome", "failed_over").counter()).isNull();
        assertThat(registry.get(FailoverMetrics.OPERATION_DURATION).tags("target", "primary", "outcome", "served")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void should_add_up_the_cost_of_a_priced_target_when_its_calls_report_usage() {
        // given
        group = group(primary, backup);
        FailoverMetrics.bind(group, registry);

        // when
        threeCallsServedByTheBackup(group.chatModel(), primary, backup);

        // then: 3 calls × (12 × 1 + 3 × 2) per million tokens
        assertThat(registry.get(FailoverMetrics.COST).tag("target", "backup").functionCounter().count())
                .isCloseTo(3 * 18 / 1_000_000.0, within(1e-12));
        assertThat(registry.find(FailoverMetrics.COST).tag("target", "primary").meters())
                .as("no price, no cost meter").isEmpty();
    }

    @Test
    void should_time_an_exhausted_call_with_its_reason_as_error_type_when_every_target_fails() {
        // given
        group = group(primary, backup);
        FailoverMetrics.bind(group, registry);
        primary.enqueue(serverError());
        backup.enqueue(serverError());

        // when
        assertThatThrownBy(() -> group.chatModel().chat("hello")).isInstanceOf(FailoverException.class);

        // then
        assertThat(count(FailoverMetrics.CALLS, "outcome", "exhausted")).isEqualTo(1);
        assertThat(registry.get(FailoverMetrics.OPERATION_DURATION)
                .tags("target", "none", "gen_ai.request.model", "none", "outcome", "exhausted", "error.type", "exhausted")
                .timer().count()).isEqualTo(1);
        assertThat(count(FailoverMetrics.ATTEMPTS, "target", "backup", "outcome", "failed", "kind", "server_error"))
                .isEqualTo(1);
    }

    @Test
    void should_count_a_rejected_call_and_an_invalid_request_attempt_when_the_primary_answers_400() {
        // given
        group = group(primary, backup);
        FailoverMetrics.bind(group, registry);
        primary.enqueue(badRequest());

        // when
        assertThatThrownBy(() -> group.chatModel().chat("hello")).isInstanceOf(InvalidRequestException.class);

        // then
        assertThat(count(FailoverMetrics.CALLS, "outcome", "rejected")).isEqualTo(1);
        assertThat(count(FailoverMetrics.ATTEMPTS, "target", "primary", "outcome", "failed", "kind", "invalid_request"))
                .isEqualTo(1);
        assertThat(backup.getRequestCount()).isZero();
    }

    @Test
    void should_count_a_truncation_under_the_small_target_when_a_long_history_is_shortened_to_fit_it() {
        // given: the primary's window holds the whole history, the backup's (1,500 tokens) does not
        group = FailoverGroup.builder()
                .targets(target("primary", primary, PRIMARY_KEY, 128_000, null), target("small", backup, BACKUP_KEY, 1_500, null))
                .maxRetries(0)
                .build();
        FailoverMetrics.bind(group, registry);
        primary.enqueue(serverError());
        backup.enqueue(ok("fitted"));

        // when
        group.chatModel().chat(ChatRequest.builder().messages(longHistory()).build());

        // then
        assertThat(count(FailoverMetrics.HISTORY_TRUNCATED, "target", "small")).isEqualTo(1);
        assertThat(registry.find(FailoverMetrics.HISTORY_TRUNCATED).tag("target", "primary").meters()).isEmpty();
    }

    @Test
    void should_tag_every_meter_with_the_given_tags_when_constructed_with_them() {
        // given
        group = group(primary, backup);
        new FailoverMetrics(group, Tags.of("group", "chat")).bindTo(registry);

        // when
        threeCallsServedByTheBackup(group.chatModel(), primary, backup);

        // then
        assertThat(registry.getMeters()).isNotEmpty()
                .allSatisfy(m -> assertThat(m.getId().getTag("group")).as(m.getId().toString()).isEqualTo("chat"));
    }

    @Test
    void should_stop_counting_and_remove_its_meters_when_closed() {
        // given
        group = group(primary, backup);
        FailoverMetrics metrics = FailoverMetrics.bind(group, registry);
        primary.enqueue(ok("counted"));
        group.chatModel().chat("hello");
        assertThat(registry.getMeters()).isNotEmpty();

        // when
        metrics.close();
        primary.enqueue(ok("not counted"));
        group.chatModel().chat("hello again");

        // then
        assertThat(registry.getMeters()).isEmpty();
        assertThat(group.removeListener(e -> { })).isFalse();
        assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(IllegalStateException.class);
        metrics.close(); // idempotent
    }

    @Test
    void should_count_in_each_registry_when_bound_to_two() {
        // given
        group = group(primary, backup);
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        FailoverMetrics metrics = new FailoverMetrics(group);
        metrics.bindTo(registry);
        metrics.bindTo(other);
        primary.enqueue(ok("counted twice"));

        // when
        group.chatModel().chat("hello");

        // then
        assertThat(count(FailoverMetrics.CALLS, "outcome", "served")).isEqualTo(1);
        assertThat(other.get(FailoverMetrics.CALLS).tag("outcome", "served").counter().count()).isEqualTo(1);
        metrics.close();
        assertThat(other.getMeters()).isEmpty();
    }

    @Test
    void should_reject_null_arguments_naming_them() {
        // given
        group = group(primary, backup);

        // then
        assertThatThrownBy(() -> FailoverMetrics.bind(null, registry)).isInstanceOf(NullPointerException.class)
                .hasMessage("group");
        assertThatThrownBy(() -> FailoverMetrics.bind(group, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("registry");
        assertThatThrownBy(() -> new FailoverMetrics(null)).isInstanceOf(NullPointerException.class).hasMessage("group");
        assertThatThrownBy(() -> new FailoverMetrics(group, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("tags");
        assertThatThrownBy(() -> new FailoverMetrics(group).bindTo(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("registry");
        assertThat(registry.getMeters()).as("nothing half-bound").isEmpty();
    }

    @Test
    void should_keep_keys_out_of_every_tag_when_calls_fail_over() {
        // given
        group = group(primary, backup);
        FailoverMetrics.bind(group, registry);

        // when
        threeCallsServedByTheBackup(group.chatModel(), primary, backup);

        // then
        List<String> tagValues = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            meter.getId().getTags().forEach(t -> tagValues.add(t.getKey() + "=" + t.getValue()));
        }
        assertThat(tagValues).isNotEmpty().noneMatch(v -> v.contains("SECRET") || v.contains("sk-"));
    }

    /** 30 turns of about 120 tokens each, a system message first, the newest question last. */
    static List<ChatMessage> longHistory() {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from("You are a concise assistant."));
        for (int i = 0; i < 30; i++) {
            messages.add(UserMessage.from("Question " + i + ": " + "tell me about failover in distributed systems. ".repeat(6)));
            messages.add(AiMessage.from("Answer " + i + ": " + "Failover moves traffic to a healthy replica. ".repeat(6)));
        }
        messages.add(UserMessage.from("And the newest question?"));
        return messages;
    }
}
