package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.badRequest;
import static dev.failover4j.support.OpenAiResponses.ok;
import static dev.failover4j.support.OpenAiResponses.streamOk;
import static dev.failover4j.support.OpenAiResponses.serverError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.failover4j.health.TargetStats;
import dev.failover4j.support.RecordingHandler;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events and stats ready for metrics: one end event per call, circuit changes naming their call, stats in health(). */
class CallEventsWireTest {

    private final MockWebServer primary = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();
    private FailoverChatResponseMetadata servedMetadata;

    @BeforeEach
    void start() throws IOException {
        primary.start();
        backup.start();
    }

    @AfterEach
    void stop() {
        primary.close();
        backup.close();
    }

    private FailoverTarget target(String name, MockWebServer server) {
        return FailoverTarget.openAiCompatible(name).baseUrl(server.url("/v1").toString()).apiKey("sk-test-" + name + "-0123456789")
                .modelName(name + "-model").contextWindowTokens(8_000).price(TokenPrice.perMillion("2.00", "10.00")).build();
    }

    private FailoverGroup group(int maxRetries) {
        return FailoverGroup.builder().targets(target("primary", primary), target("backup", backup))
                .config(FailoverConfig.builder().maxRetries(maxRetries).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build())
                .listener(events::add).build();
    }

    private <E extends FailoverEvent> List<E> eventsOf(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }


    @Test
    void should_end_a_failed_over_call_with_one_call_succeeded_naming_target_attempts_usage_and_cost() {
        // given
        primary.enqueue(serverError());
        backup.enqueue(ok("hi"));
        try (FailoverGroup group = group(0)) {
            // when
            servedMetadata = (FailoverChatResponseMetadata) group.chatModel().chat(UserMessage.from("hello")).metadata();
        }
        // then
        assertThat(events.get(events.size() - 1)).isInstanceOf(FailoverEvent.CallSucceeded.class);
        FailoverEvent.CallSucceeded succeeded = eventsOf(FailoverEvent.CallSucceeded.class).get(0);
        assertThat(succeeded.target()).isEqualTo("backup");
        assertThat(succeeded.attempts()).isEqualTo(2);
        assertThat(succeeded.failedOver()).isTrue();
        assertThat(succeeded.tokenUsage().inputTokenCount()).isEqualTo(12);
        assertThat(succeeded.cost()).isEqualByComparingTo(new BigDecimal("0.000054")); // 12 × 2.00 + 3 × 10.00 per million
        assertThat(servedMetadata.cost()).isEqualByComparingTo(succeeded.cost()); // the response carries its cost too
        assertThat(succeeded.timeToFirstToken()).isNull();
        assertThat(eventsOf(FailoverEvent.CallFailed.class)).isEmpty();
    }

    @Test
    void should_end_each_failed_call_with_one_call_failed_naming_why() {
        // given
        primary.enqueue(serverError());
        backup.enqueue(serverError());
        primary.enqueue(badRequest());
        try (FailoverGroup group = group(0)) {
            // when
            catchThrowable(() -> group.chatModel().chat(UserMessage.from("everything fails")));
            catchThrowable(() -> group.chatModel().chat(UserMessage.from("the caller's fault")));
        }
        // then
        assertThat(eventsOf(FailoverEvent.CallFailed.class)).extracting(FailoverEvent.CallFailed::reason, FailoverEvent.CallFailed::attempts)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FailoverEvent.CallFailed.Reason.EXHAUSTED, 2),
                        org.assertj.core.groups.Tuple.tuple(FailoverEvent.CallFailed.Reason.REJECTED, 1));
        assertThat(eventsOf(FailoverEvent.CallSucceeded.class)).isEmpty();
    }

    @Test
    void should_give_a_stream_its_time_to_first_token_in_its_end_event() throws Exception {
        // given
        backup.enqueue(streamOk("streamed"));
        primary.enqueue(serverError());
        try (FailoverGroup group = group(0)) {
            RecordingHandler handler = new RecordingHandler();
            // when
            group.streamingChatModel().chat(ChatRequest.builder().messages(UserMessage.from("stream")).build(), handler);
            handler.await(Duration.ofSeconds(10));
        }
        // then
        FailoverEvent.CallSucceeded succeeded = eventsOf(FailoverEvent.CallSucceeded.class).get(0);
        assertThat(succeeded.target()).isEqualTo("backup");
        assertThat(succeeded.timeToFirstToken()).isNotNull().isPositive().isLessThanOrEqualTo(succeeded.duration());
        assertThat(succeeded.tokenUsage().outputTokenCount()).isEqualTo(2);
    }

    @Test
    void should_name_the_call_whose_failure_opened_the_breaker() {
        // given: the default 5 consecutive failures open it; each call fails once on the primary
        for (int i = 0; i < 5; i++) {
            primary.enqueue(serverError());
            backup.enqueue(ok("b" + i));
        }
        try (FailoverGroup group = group(0)) {
            // when
            for (int i = 0; i < 5; i++) {
                group.chatModel().chat(UserMessage.from("q" + i));
            }
        }
        // then
        FailoverEvent.CircuitStateChanged opened = eventsOf(FailoverEvent.CircuitStateChanged.class).get(0);
        assertThat(opened.to()).isEqualTo(CircuitState.OPEN);
        assertThat(opened.callId()).isEqualTo(eventsOf(FailoverEvent.CallSucceeded.class).get(4).callId()).isPositive();
    }

    @Test
    void should_show_latency_error_rate_tokens_cost_and_time_per_state_in_health() {
        // given
        primary.enqueue(serverError());
        for (int i = 0; i < 4; i++) {
            primary.enqueue(ok("p" + i));
        }
        backup.enqueue(ok("b"));
        try (FailoverGroup group = group(0)) {
            // when
            for (int i = 0; i < 5; i++) {
                group.chatModel().chat(UserMessage.from("q" + i));
            }
            TargetStats stats = group.health().get(0).stats();
            // then
            assertThat(stats.attempts()).isEqualTo(5);
            assertThat(stats.failures()).isEqualTo(1);
            assertThat(stats.errorRate()).isEqualTo(0.2);
            assertThat(stats.p50()).isPositive();
            assertThat(stats.p99()).isGreaterThanOrEqualTo(stats.p50());
            assertThat(stats.ewmaLatency()).isPositive();
            assertThat(stats.inFlight()).isZero();
            assertThat(stats.inputTokens()).isEqualTo(48);
            assertThat(stats.outputTokens()).isEqualTo(12);
            assertThat(stats.cost()).isEqualByComparingTo(new BigDecimal("0.000216"));
            assertThat(stats.timeInState()).containsKey(CircuitState.CLOSED);
            assertThat(group.health().get(1).stats().attempts()).isEqualTo(1);
        }
    }
}
