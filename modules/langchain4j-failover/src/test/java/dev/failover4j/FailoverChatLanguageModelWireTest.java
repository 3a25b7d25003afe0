package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.*;
import static dev.failover4j.support.Servers.take;
import static dev.failover4j.support.Servers.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover4j.support.MutableClock;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each row of the fault table, at the wire: real OpenAiChatModels talking HTTP to MockWebServer. */
class FailoverChatLanguageModelWireTest {

    private final MockWebServer primary = new MockWebServer();
    private final MockWebServer secondary = new MockWebServer();
    private final MutableClock clock = MutableClock.atEpochPlusOneDay();
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        primary.start();
        secondary.start();
    }

    @AfterEach
    void stop() {
        primary.close();
        secondary.close();
    }

    private FailoverChatLanguageModel.Builder model() {
        return FailoverChatLanguageModel.builder()
                .targets(target("primary", primary), target("secondary", secondary))
                .config(FailoverConfig.builder()
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                        .jitter(0)
                        .attemptTimeout(Duration.ofSeconds(5))
                        .deadline(Duration.ofSeconds(20))
                        .build())
                .clock(clock)
                .listener(events::add);
    }

    private static ChatRequest hello() {
        return ChatRequest.builder().messages(UserMessage.from("hello")).build();
    }

    private static String servedBy(ChatResponse response) {
        return ((FailoverChatResponseMetadata) response.metadata()).targetName();
    }

    @Test
    void should_serve_from_primary_when_it_is_healthy() throws Exception {
        // given
        primary.enqueue(ok("from primary"));
        // when
        ChatResponse response = model().build().chat(hello());
        // then
        assertThat(response.aiMessage().text()).isEqualTo("from primary");
        assertThat(servedBy(response)).isEqualTo("primary");
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(12);
        assertThat(take(primary).getBody().utf8()).contains("\"model\" : \"primary-model\"");
        assertThat(secondary.getRequestCount()).isZero();
    }

    @Test
    void should_retry_same_target_when_a_single_5xx_occurs() {
        // given
        primary.enqueue(serverError());
        primary.enqueue(ok("second try"));
        // when
        ChatResponse response = model().build().chat(hello());
        // then
        assertThat(servedBy(response)).isEqualTo("primary");
        assertThat(primary.getRequestCount()).isEqualTo(2);
        assertThat(secondary.getRequestCount()).isZero();
    }

    @Test
    void should_fail_over_after_retries_when_primary_keeps_returning_5xx() {
        // given
        for (int i = 0; i < 3; i++) {
            primary.enqueue(serverError());
        }
        secondary.enqueue(ok("from secondary"));
        // when
        ChatResponse response = model().build().chat(hello());
        // then
        assertThat(servedBy(response)).isEqualTo("secondary");
        assertThat(primary.getRequestCount()).isEqualTo(3); // 1 + DEFAULT_MAX_RETRIES
        FailoverChatResponseMetadata metadata = (FailoverChatResponseMetadata) response.metadata();
        assertThat(metadata.failedOver()).isTrue();
        assertThat(metadata.attempts()).extracting(FailoverAttempt::failure)
                .containsExactly(FailureKind.SERVER_ERROR, FailureKind.SERVER_ERROR, FailureKind.SERVER_ERROR, null);
    }

    @Test
    void should_fail_over_at_once_when_primary_answers_429() {
        // given
        primary.enqueue(rateLimited("30"));
        secondary.enqueue(ok("from secondary"));
        // when
        ChatResponse response = model().build().chat(hello());
        // then
        assertThat(servedBy(response)).isEqualTo("secondary");
        assertThat(primary.getRequestCount()).isEqualTo(1);
    }

    @Test
    void should_skip_rate_limited_target_without_a_call_until_retry_after_in_seconds_passes() {
        // given
        FailoverChatLanguageModel model = model().build();
        primary.enqueue(rateLimited("30"));
        secondary.enqueue(ok("s1"));
        secondary.enqueue(ok("s2"));
        primary.enqueue(ok("p3"));
        model.chat(hello());
        // when
        clock.advance(Duration.ofSeconds(29));
        ChatResponse whileLimited = model.chat(hello());
        clock.advance(Duration.ofSeconds(2));
        ChatResponse afterwards = model.chat(hello());
        // then
        assertThat(servedBy(whileLimited)).isEqualTo("secondary");
        assertThat(servedBy(afterwards)).isEqualTo("primary");
        assertThat(primary.getRequestCount()).isEqualTo(2);
        assertThat(events).filteredOn(e -> e instanceof FailoverEvent.TargetSkipped)
                .singleElement()
                .satisfies(e -> assertThat(((FailoverEvent.TargetSkipped) e).reason()).isEqualTo(SkipReason.RATE_LIMITED));
    }

    @Test
    void should_honour_retry_after_given_as_http_date() {
        // given
        FailoverChatLanguageModel model = model().build();
        String inOneMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(60).atZone(ZoneOffset.UTC));
        primary.enqueue(rateLimited(inOneMinute));
        secondary.enqueue(ok("s1"));
        secondary.enqueue(ok("s2"));
        primary.enqueue(ok("p3"));
        model.chat(hello());
        // when
        clock.advance(Duration.ofSeconds(59));
        String during = servedBy(model.chat(hello()));
        clock.advance(Duration.ofSeconds(2));
        String after = servedBy(model.chat(hello()));
        // then
        assertThat(during).isEqualTo("secondary");
        assertThat(after).isEqualTo("primary");
    }

    @Test
    void should_wait_for_rate_limited_target_when_no_other_target_can_serve_and_retry_after_fits() {
        // given: the real clock, because the wait is real
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("primary", primary), target("secondary", secondary))
                .config(FailoverConfig.builder().maxRetries(0).deadline(Duration.ofSeconds(10)).build())
                .build();
        primary.enqueue(rateLimited("1"));
        secondary.enqueue(modelNotFound());
        primary.enqueue(ok("after the wait"));
        // when
        ChatResponse response = model.chat(hello());
        // then
        assertThat(servedBy(response)).isEqualTo("primary");
        assertThat(response.aiMessage().text()).isEqualTo("after the wait");
    }

    @Test
    void should_not_wait_when_retry_after_exceeds_the_deadline() {
        // given
        FailoverChatLanguageModel model = FailoverChatLanguageModel.builder()
                .targets(target("primary", primary))
                .deadline(Duration.ofSeconds(2))
                .build();
        primary.enqueue(rateLimited("120"));
        long start = System.nanoTime();
        // when / then
        assertThatThrownBy(() -> model.chat(hello()))
                .isInstanceOf(FailoverException.class)
                .hasMessageContaining("primary#1 FAILED RATE_LIMITED");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void should_retry_once_then_fail_over_when_primary_hangs() {
        // given
        FailoverChatLanguageModel model = model().attemptTimeout(Duration.ofMillis(300)).build();
        primary.enqueue(hang());
        primary.enqueue(hang());
        primary.enqueue(ok("never reached"));
        secondary.enqueue(ok("from secondary"));
        // when
        ChatResponse response = model.chat(hello());
        // then
        assertThat(servedBy(response)).isEqualTo("secondary");
        assertThat(primary.getRequestCount()).isEqualTo(2);
        assertThat(((FailoverChatResponseMetadata) response.metadata()).attempts())
                .extracting(FailoverAttempt::failure)
                .containsExactly(FailureKind.TIMEOUT, FailureKind.TIMEOUT, null);
    }

    @Test
    void should_retry_once_then_fail_over_when_the_connection_is_dropped() {
        // given
        primary.enqueue(dropConnection());
        primary.enqueue(dropConnection());
        primary.enqueue(ok("never reached"));
        secondary.enqueue(ok("from secondary"));
        // when
        ChatResponse response = model().build().chat(hello());
        // then
        assertThat(servedBy(response)).isEqualTo("secondary");
        assertThat(((FailoverChatResponseMetadata) response.metadata()).attempts())
                .extracting(FailoverAttempt::failure)
                .containsExactly(FailureKind.CONNECTION, FailureKind.CONNECTION, null);
    }

    @Test
    void should_fail_over_when_the_connection_is_refused() throws IOException {
        // given: a port nobody listens on
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        FailoverTarget dead = FailoverTarget.openAiCompatible("dead").baseUrl("http://127.0.0.1:" + closedPort + "/v1")
                .apiKey("sk-dead-0123456789").modelName("m").contextWindowTokens(8_000).build();
        FailoverChatLanguageModel model = model().targets(dead, target("secondary", secondary)).build();
        secondary.enqueue(ok("from secondary"));
        // when
        ChatResponse response = model.chat(hello());
        // then
        assertThat(servedBy(response)).isEqualTo("secondary");
        assertThat(((FailoverChatResponseMetadata) response.metadata()).attempts().get(0).failure())
                .isEqualTo(FailureKind.CONNECTION);
    }

    @Test
    void should_retry_then_fail_over_when_the_body_is_malformed() {
        // given
        for (int i = 0; i < 3; i++) {
            primary.enqueue(malformed());
        }
        secondary.enqueue(ok("from secondary"));
        // when
        ChatResponse response = model().build().chat(hello());
        // then
        assertThat(servedBy(response)).isEqualTo("secondary");
        assertThat(((FailoverChatResponseMetadata) response.metadata()).attempts().get(0).failure())
                .isEqualTo(FailureKind.MALFORMED_RESPONSE);
        assertThat(primary.getRequestCount()).isEqualTo(3);
    }

    @Test
    void should_retry_then_fail_over_when_a_200_carries_an_error_body() {
        // given
        for (int i = 0; i < 3; i++) {
            primary.enqueue(errorBodyWith200());
        }
        secondary.enqueue(ok("from secondary"));
        // when
        ChatResponse response = model().build().chat(hello());
        // then
        assertThat(servedBy(response)).isEqualTo("secondary");
        assertThat(((FailoverChatResponseMetadata) response.metadata()).attempts().get(0).failure())
                .isEqualTo(FailureKind.SERVER_ERROR);
    }

    @Test
    void should_disable_target_and_never_send_its_key_elsewhere_when_it_answers_401() throws Exception {
        // given
        FailoverChatLanguageModel model = model().build();
        primary.enqueue(unauthorized());
        secondary.enqueue(ok("s1"));
        secondary.enqueue(ok("s2"));
        // when
        model.chat(hello());
        ChatResponse second = model.chat(hello());
        // then
        assertThat(servedBy(second)).isEqualTo("secondary");
        assertThat(primary.getRequestCount()).isEqualTo(1);
        assertThat(model.health().get(0).openReason()).isEqualTo(SkipReason.AUTHENTICATION_FAILED);
        RecordedRequest atSecondary = take(secondary);
        assertThat(atSecondary.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-secondary-0123456789");
    }

    @Test
    void should_let_a_trial_call_through_after_the_breaker_delay_when_401_was_fixed() {
        // given
        FailoverChatLanguageModel model = model().build();
        primary.enqueue(unauthorized());
        secondary.enqueue(ok("s1"));
        model.chat(hello());
        // when
        clock.advance(FailoverConfig.DEFAULT_BREAKER_DELAY.plusSeconds(1));
        primary.enqueue(ok("key fixed"));
        ChatResponse response = model.chat(hello());
        // then
        assertThat(servedBy(response)).isEqualTo("primary");
    }

    @Test
    void should_bring_a_disabled_target_back_at_once_when_a_probe_succeeds() throws Exception {
        // given
        FailoverChatLanguageModel model = model().build();
        primary.enqueue(unauthorized());
        secondary.enqueue(ok("s1"));
        model.chat(hello());
        take(primary);
        // when
        primary.enqueue(models("primary-model"));
        boolean probed = model.probe("primary");
        primary.enqueue(ok("back"));
        ChatResponse response = model.chat(hello());
        // then: the check lists the models (no tokens billed), with the target's key
        assertThat(probed).isTrue();
        RecordedRequest check = take(primary);
        assertThat(check.getMethod()).isEqualTo("GET");
        assertThat(check.getTarget()).isEqualTo("/v1/models");
        assertThat(check.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-primary-0123456789");
        assertThat(servedBy(response)).isEqualTo("primary");
    }

    @Test
    void should_cool_down_target_when_model_is_not_found() {
        // given
        FailoverChatLanguageModel model = model().build();
        primary.enqueue(modelNotFound());
        secondary.enqueue(ok("s1"));
        secondary.enqueue(ok("s2"));
        // when
        model.chat(hello());
        clock.advance(Duration.ofMinutes(1));
        ChatResponse second = model.chat(hello());
        // then
        assertThat(servedBy(second)).isEqualTo("secondary");
        assertThat(primary.getRequestCount()).isEqualTo(1);
        assertThat(model.health().get(0).openReason()).isEqualTo(SkipReason.MODEL_NOT_FOUND);
    }

    @Test
    void should_fail_over_without_retry_or_health_penalty_when_context_length_is_exceeded() {
        // given
        FailoverChatLanguageModel model = model().build();
        primary.enqueue(contextLengthExceededWithoutNumbers()); // (a 400 stating its numbers gets one re-fitted retry: CalibrationWireTest)
        secondary.enqueue(ok("bigger window"));
        // when
        ChatResponse response = model.chat(hello());
        // then
        assertThat(servedBy(response)).isEqualTo("secondary");
        assertThat(primary.getRequestCount()).isEqualTo(1);
        assertThat(model.health().get(0).consecutiveFailures()).isZero();
        assertThat(((FailoverChatResponseMetadata) response.metadata()).attempts().get(0).failure())
                .isEqualTo(FailureKind.CONTEXT_LENGTH_EXCEEDED);
    }

    @Test
    void should_fail_over_when_the_content_filter_refuses() {
        // given
        primary.enqueue(contentFiltered());
        secondary.enqueue(ok("other policy"));
        // when
        ChatResponse response = model().build().chat(hello());
        // then
        assertThat(servedBy(response)).isEqualTo("secondary");
        assertThat(((FailoverChatResponseMetadata) response.metadata()).attempts().get(0).failure())
                .isEqualTo(FailureKind.CONTENT_FILTERED);
    }

    @Test
    void should_rethrow_a_callers_400_as_is_and_call_no_other_target() {
        // given
        primary.enqueue(badRequest());
        secondary.enqueue(ok("must not be used"));
        // when / then
        assertThatThrownBy(() -> model().build().chat(hello()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("temperature");
        assertThat(primary.getRequestCount()).isEqualTo(1);
        assertThat(secondary.getRequestCount()).isZero();
    }

    @Test
    void should_throw_failover_exception_naming_each_target_when_all_are_down() {
        // given
        for (int i = 0; i < 3; i++) {
            primary.enqueue(serverError());
        }
        secondary.enqueue(unauthorized());
        // when / then
        assertThatThrownBy(() -> model().build().chat(hello()))
                .isInstanceOfSatisfying(FailoverException.class, e -> {
                    assertThat(e.getMessage())
                            .contains("primary#1 FAILED SERVER_ERROR")
                            .contains("primary#3 FAILED SERVER_ERROR")
                            .contains("secondary#1 FAILED AUTHENTICATION");
                    assertThat(e.attempts()).hasSize(4);
                    assertThat(e.interrupted()).isFalse();
                });
        assertThat(events.get(events.size() - 2)).isInstanceOf(FailoverEvent.FailoverExhausted.class);
        assertThat(events).last().isInstanceOf(FailoverEvent.CallFailed.class); // every call's one end event
    }

    @Test
    void should_stop_within_the_deadline_when_every_target_hangs() {
        // given
        FailoverChatLanguageModel model = model().attemptTimeout(Duration.ofSeconds(10)).deadline(Duration.ofMillis(700))
                .clock(java.time.Clock.systemUTC()).build();
        primary.enqueue(hang());
        secondary.enqueue(hang());
        long start = System.nanoTime();
        // when / then
        assertThatThrownBy(() -> model.chat(hello()))
                .isInstanceOf(FailoverException.class)
                .hasMessageContaining("deadline");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(secondary.getRequestCount()).isZero();
    }

    @Test
    void should_stop_and_keep_the_interrupt_flag_when_the_caller_is_interrupted() throws Exception {
        // given
        primary.enqueue(hang());
        FailoverChatLanguageModel model = model().build();
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                primary.takeRequest(5, TimeUnit.SECONDS);
                caller.interrupt();
            } catch (InterruptedException ignored) {
                // test ends
            }
        });
        interrupter.start();
        // when / then
        try {
            assertThatThrownBy(() -> model.chat(hello()))
                    .isInstanceOfSatisfying(FailoverException.class, e -> assertThat(e.interrupted()).isTrue());
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(secondary.getRequestCount()).isZero();
        } finally {
            Thread.interrupted();
            interrupter.join(5_000);
        }
    }

    @Test
    void should_send_each_target_its_own_model_name_and_keep_the_callers_other_parameters() throws Exception {
        // given
        primary.enqueue(serverError());
        primary.enqueue(serverError());
        primary.enqueue(serverError());
        secondary.enqueue(ok("ok"));
        ChatRequest request = ChatRequest.builder()
                .messages(UserMessage.from("hello"))
                .modelName("callers-model")
                .temperature(0.3)
                .build();
        // when
        model().build().chat(request);
        // then
        String atPrimary = take(primary).getBody().utf8();
        String atSecondary = take(secondary).getBody().utf8();
        assertThat(atPrimary).contains("\"model\" : \"primary-model\"").contains("\"temperature\" : 0.3");
        assertThat(atSecondary).contains("\"model\" : \"secondary-model\"").contains("\"temperature\" : 0.3");
    }
    @Test
    void should_send_each_target_its_own_model_name_when_the_caller_names_none() throws Exception {
        // given: an openAiCompatible primary, and a custom target whose ChatModel defaults to another model name
        dev.langchain4j.model.openai.OpenAiChatModel custom = dev.langchain4j.model.openai.OpenAiChatModel.builder()
                .baseUrl(secondary.url("/v1").toString()).apiKey("sk-test-custom-0123456789")
                .modelName("the-models-own-default").maxRetries(0).build();
        FailoverTarget declared = FailoverTarget.builder().name("secondary").chatModel(custom)
                .modelName("declared-model").contextWindowTokens(8_000).build();
        primary.enqueue(serverError());
        primary.enqueue(serverError());
        primary.enqueue(serverError());
        secondary.enqueue(ok("ok"));
        // when
        FailoverChatLanguageModel.builder().targets(target("primary", primary), declared).build()
                .chat(ChatRequest.builder().messages(UserMessage.from("hello")).build());
        // then
        assertThat(take(primary).getBody().utf8()).contains("\"model\" : \"primary-model\"");
        assertThat(take(secondary).getBody().utf8()).contains("\"model\" : \"declared-model\"");
    }
}
