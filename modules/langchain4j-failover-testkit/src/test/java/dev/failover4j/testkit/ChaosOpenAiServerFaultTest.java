package dev.failover4j.testkit;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ChaosOpenAiServerFaultTest {

    private ChaosOpenAiServer server;
    private OpenAiChatModel model;

    @BeforeEach
    void startServer() {
        server = ChaosOpenAiServer.builder().name("primary").build().start();
        model = Clients.chatModel(server.baseUrl());
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    private Throwable chatFailure() {
        return catchThrowable(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("hello")).build()));
    }

    private static int status(Throwable t) {
        return ((HttpException) t.getCause()).statusCode();
    }

    private static String body(Throwable t) {
        return t.getCause().getMessage();
    }

    @Test
    void should_throw_internal_server_exception_with_openai_error_body_when_status_500_is_injected() {
        // given
        server.inject(Fault.httpStatus(500));

        // when
        Throwable t = chatFailure();

        // then
        assertThat(t).isInstanceOf(InternalServerException.class);
        assertThat(status(t)).isEqualTo(500);
        assertThat(body(t)).contains("\"type\":\"server_error\"").contains("\"message\":");
        assertThat(server.stats().faultCount(FaultKind.HTTP_STATUS)).isEqualTo(1);
        assertThat(server.stats().served()).isZero();
    }

    @Test
    void should_throw_invalid_request_exception_when_status_400_is_injected() {
        // given
        server.inject(Fault.httpStatus(400));

        // when
        Throwable t = chatFailure();

        // then
        assertThat(t).isInstanceOf(InvalidRequestException.class);
        assertThat(status(t)).isEqualTo(400);
    }

    @Test
    void should_throw_rate_limit_exception_with_rate_limit_code_when_rate_limited() {
        // given
        server.inject(Fault.rateLimited(Duration.ofSeconds(7)));

        // when
        Throwable t = chatFailure();

        // then
        assertThat(t).isInstanceOf(RateLimitException.class);
        assertThat(status(t)).isEqualTo(429);
        assertThat(body(t)).contains("\"code\":\"rate_limit_exceeded\"");
    }

    @Test
    void should_send_retry_after_in_whole_seconds_rounded_up_when_rate_limited_with_a_duration() throws Exception {
        // given
        server.inject(Fault.rateLimited(Duration.ofMillis(1_500)));

        // when
        HttpResponse<String> response = Clients.post(server.baseUrl() + "/chat/completions",
                Clients.chatJson("hi", false));

        // then
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    }

    @Test
    void should_send_retry_after_as_http_date_when_rate_limited_until_an_instant() throws Exception {
        // given
        Instant until = Instant.parse("2030-01-05T10:15:30Z");
        server.inject(Fault.rateLimitedUntil(until));

        // when
        HttpResponse<String> response = Clients.post(server.baseUrl() + "/chat/completions",
                Clients.chatJson("hi", false));

        // then
        String header = response.headers().firstValue("Retry-After").orElseThrow();
        assertThat(header).isEqualTo("Sat, 05 Jan 2030 10:15:30 GMT");
        assertThat(ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()).isEqualTo(until);
    }

    @Test
    void should_send_no_retry_after_when_rate_limited_without_a_delay() throws Exception {
        // given
        server.inject(Fault.rateLimited());

        // when
        HttpResponse<String> response = Clients.post(server.baseUrl() + "/chat/completions",
                Clients.chatJson("hi", false));

        // then
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void should_throw_authentication_exception_with_invalid_api_key_code_when_authentication_fails() {
        // given
        server.inject(Fault.authenticationFailed());

        // when
        Throwable t = chatFailure();

        // then
        assertThat(t).isInstanceOf(AuthenticationException.class);
        assertThat(status(t)).isEqualTo(401);
        assertThat(body(t)).contains("\"code\":\"invalid_api_key\"").doesNotContain(Clients.API_KEY);
    }

    @Test
    void should_throw_model_not_found_exception_naming_the_model_when_model_is_not_found() {
        // given
        server.inject(Fault.modelNotFound());

        // when
        Throwable t = chatFailure();

        // then
        assertThat(t).isInstanceOf(ModelNotFoundException.class);
        assertThat(body(t)).contains("\"code\":\"model_not_found\"").contains("`gpt-4o-mini`");
    }

    @Test
    void should_throw_invalid_request_exception_with_content_filter_body_when_content_is_filtered() {
        // given
        server.inject(Fault.contentFiltered());

        // when
        Throwable t = chatFailure();

        // then: LangChain4j 1.19 maps this 400 to InvalidRequestException, not ContentFilteredException
        assertThat(t).isInstanceOf(InvalidRequestException.class);
        assertThat(status(t)).isEqualTo(400);
        assertThat(body(t)).contains("\"code\":\"content_filter\"").contains("ResponsibleAIPolicyViolation");
    }

    @Test
    void should_answer_context_length_exceeded_when_the_prompt_is_above_the_fault_limit() {
        // given: "hi" is 8 prompt tokens by the chat rule (3 priming + 3 + "user" + "hi")
        server.inject(Fault.contextLengthAbove(10));

        // when
        Throwable t = catchThrowable(() -> model.chat(ChatRequest.builder()
                .messages(UserMessage.from("hello there, how are you today?")).build()));
        var shortOk = model.chat(ChatRequest.builder().messages(UserMessage.from("hi")).build());

        // then
        int counted = server.requests().get(0).promptTokens();
        assertThat(counted).isGreaterThan(10);
        assertThat(t).isInstanceOf(InvalidRequestException.class);
        assertThat(body(t)).contains("\"code\":\"context_length_exceeded\"").contains("\"param\":\"messages\"")
                .contains("This model's maximum context length is 10 tokens. However, your messages resulted in "
                        + counted + " tokens. Please reduce the length of the messages.");
        assertThat(server.requests().get(1).promptTokens()).isEqualTo(8);
        assertThat(shortOk.aiMessage().text()).contains("answer to: hi");
    }

    @Test
    void should_enforce_the_context_window_by_default_when_the_prompt_is_too_long() {
        // given
        server.close();
        server = ChaosOpenAiServer.builder().contextWindowTokens(50).build().start();
        model = Clients.chatModel(server.baseUrl());
        String longText = "word ".repeat(100);

        // when
        Throwable tooLong = catchThrowable(() -> model.chat(ChatRequest.builder()
                .messages(UserMessage.from(longText)).build()));
        Throwable withCompletion = catchThrowable(() -> model.chat(ChatRequest.builder().maxOutputTokens(45)
                .messages(UserMessage.from("hello")).build()));
        var fits = model.chat(ChatRequest.builder().messages(UserMessage.from("hello")).build());

        // then
        assertThat(tooLong).isInstanceOf(InvalidRequestException.class);
        assertThat(body(tooLong)).contains("context_length_exceeded").contains("maximum context length is 50 tokens");
        assertThat(body(withCompletion)).contains("context_length_exceeded")
                .contains("you requested 53 tokens (8 in the messages, 45 in the completion)");
        assertThat(fits.aiMessage().text()).contains("answer to: hello");
        assertThat(server.stats().faultCount(FaultKind.CONTEXT_LENGTH_EXCEEDED)).isEqualTo(2);
    }

    @Test
    void should_fail_to_parse_when_the_body_is_malformed_json() throws Exception {
        // given
        server.inject(Fault.malformedJson());

        // when
        Throwable t = chatFailure();
        HttpResponse<String> raw = Clients.post(server.baseUrl() + "/chat/completions", Clients.chatJson("hi", false));

        // then
        assertThat(t).hasRootCauseInstanceOf(com.fasterxml.jackson.core.io.JsonEOFException.class);
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).startsWith("{\"id\":").doesNotEndWith("}");
    }

    @Test
    void should_fail_when_the_body_is_empty() throws Exception {
        // given
        server.inject(Fault.emptyBody());

        // when
        Throwable t = chatFailure();
        HttpResponse<String> raw = Clients.post(server.baseUrl() + "/chat/completions", Clients.chatJson("hi", false));

        // then
        assertThat(t).hasRootCauseInstanceOf(com.fasterxml.jackson.databind.exc.MismatchedInputException.class);
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).isEmpty();
    }

    @Test
    void should_answer_200_with_an_error_object_when_error_body_with_200_is_injected() throws Exception {
        // given
        server.inject(Fault.errorBodyWith200());

        // when
        Throwable t = chatFailure();
        HttpResponse<String> raw = Clients.post(server.baseUrl() + "/chat/completions", Clients.chatJson("hi", false));

        // then
        assertThat(t).isInstanceOf(InternalServerException.class).hasMessageContaining("no choices");
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).startsWith("{\"error\":{").contains("\"type\":\"server_error\"");
    }

    @Test
    void should_fail_with_an_io_error_when_the_connection_is_dropped() {
        // given
        server.inject(Fault.dropConnection());

        // when
        Throwable t = chatFailure();

        // then
        assertThat(t).hasRootCauseInstanceOf(IOException.class);
        assertThat(server.takeRequest(Clients.TIMEOUT)).isNotNull();
        assertThat(server.stats().faultCount(FaultKind.DROP_CONNECTION)).isEqualTo(1);
    }

    @Test
    void should_never_answer_so_the_client_times_out_when_the_server_hangs() {
        // given
        server.inject(Fault.hang());
        OpenAiChatModel impatient = OpenAiChatModel.builder().httpClientBuilder(Clients.http11())
                .baseUrl(server.baseUrl()).apiKey(Clients.API_KEY).modelName("gpt-4o-mini")
                .maxRetries(0).timeout(Duration.ofMillis(300)).build();

        // when
        Throwable t = catchThrowable(() -> impatient.chat(ChatRequest.builder()
                .messages(UserMessage.from("hello")).build()));

        // then
        assertThat(t).isInstanceOf(dev.langchain4j.exception.TimeoutException.class)
                .hasRootCauseInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(server.stats().faultCount(FaultKind.HANG)).isEqualTo(1);
    }

    @Test
    void should_delay_the_answer_when_latency_is_injected() throws Exception {
        // given
        server.inject(Fault.latency(Duration.ofMillis(300)));

        // when
        long start = System.nanoTime();
        HttpResponse<String> response = Clients.post(server.baseUrl() + "/chat/completions",
                Clients.chatJson("hi", false));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(server.stats().faultCount(FaultKind.LATENCY)).isEqualTo(1);
        assertThat(server.stats().served()).isEqualTo(1);
    }

    @Test
    void should_combine_latency_with_the_answer_deciding_fault_when_both_are_active() throws Exception {
        // given
        server.inject(Fault.latency(Duration.ofMillis(200)));
        server.inject(Fault.httpStatus(503));

        // when
        long start = System.nanoTime();
        HttpResponse<String> response = Clients.post(server.baseUrl() + "/chat/completions",
                Clients.chatJson("hi", false));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void should_apply_the_fault_to_only_the_next_n_requests_when_injected_for_n() throws Exception {
        // given
        server.injectNext(2, Fault.httpStatus(502));

        // when
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(Clients.post(server.baseUrl() + "/chat/completions", Clients.chatJson("hi", false))
                    .statusCode());
        }

        // then
        assertThat(statuses).containsExactly(502, 502, 200, 200);
    }

    @Test
    void should_fail_about_the_given_share_of_requests_reproducibly_when_a_probability_is_set() throws Exception {
        // given
        List<Integer> first = statusesWithProbability(7L);
        List<Integer> second = statusesWithProbability(7L);

        // then
        long failures = first.stream().filter(s -> s == 503).count();
        assertThat(failures).isBetween(8L, 32L); // 60 requests at p = 0.3: mean 18
        assertThat(second).isEqualTo(first);
    }

    private List<Integer> statusesWithProbability(long seed) throws Exception {
        try (ChaosOpenAiServer flaky = ChaosOpenAiServer.builder().randomSeed(seed).build().start()) {
            flaky.inject(Fault.httpStatus(503).withProbability(0.3));
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                statuses.add(Clients.post(flaky.baseUrl() + "/chat/completions", Clients.chatJson("hi", false))
                        .statusCode());
            }
            assertThat(flaky.stats().faultCount(FaultKind.HTTP_STATUS) + flaky.stats().served()).isEqualTo(60);
            return statuses;
        }
    }

    @Test
    void should_answer_normally_again_when_faults_are_cleared() {
        // given
        server.inject(Fault.httpStatus(500));
        Throwable during = chatFailure();

        // when
        server.clearFaults();

        // then
        assertThat(during).isInstanceOf(InternalServerException.class);
        assertThat(model.chat(ChatRequest.builder().messages(UserMessage.from("hello")).build())
                .aiMessage().text()).contains("answer to: hello");
    }

    @Test
    void should_fault_the_models_endpoint_too_when_a_status_fault_is_active() throws Exception {
        // given
        server.inject(Fault.httpStatus(503));

        // when
        HttpResponse<String> models = Clients.get(server.baseUrl() + "/models");

        // then
        assertThat(models.statusCode()).isEqualTo(503);
    }

    @Test
    void should_not_apply_chat_only_faults_when_the_models_endpoint_is_called() throws Exception {
        // given
        server.inject(Fault.malformedJson());
        server.inject(Fault.contentFiltered());

        // when
        HttpResponse<String> models = Clients.get(server.baseUrl() + "/models");

        // then
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(server.stats().totalFaults()).isZero();
    }
}
