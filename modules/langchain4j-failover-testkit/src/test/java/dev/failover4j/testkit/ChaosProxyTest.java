package dev.failover4j.testkit;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.failover4j.testkit.Clients.StreamRecorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ChaosProxyTest {

    private static final ChatRequest REQUEST = ChatRequest.builder()
            .messages(UserMessage.from("Tell me a story about a fox")).build();

    private ChaosOpenAiServer upstream;
    private ChaosProxy proxy;

    @BeforeEach
    void start() {
        upstream = ChaosOpenAiServer.builder().name("upstream").build().start();
        proxy = ChaosProxy.builder().name("proxy").upstream(upstream.baseUrl()).build().start();
    }

    @AfterEach
    void close() {
        proxy.close();
        upstream.close();
    }

    @Test
    void should_forward_the_request_with_its_authorization_and_relay_the_answer_when_healthy() {
        // given
        var model = Clients.chatModel(proxy.baseUrl());

        // when
        ChatResponse response = model.chat(REQUEST);

        // then
        assertThat(proxy.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/v1").isNotEqualTo(upstream.baseUrl());
        assertThat(response.aiMessage().text()).isEqualTo("[upstream] answer to: Tell me a story about a fox");
        assertThat(response.tokenUsage().inputTokenCount()).isPositive();
        RecordedChatRequest atUpstream = upstream.takeRequest(Clients.TIMEOUT);
        assertThat(atUpstream.path()).isEqualTo("/v1/chat/completions");
        assertThat(atUpstream.header("Authorization")).hasValue("Bearer ****cdef");
        RecordedChatRequest atProxy = proxy.takeRequest(Clients.TIMEOUT);
        assertThat(atUpstream.body()).isEqualTo(atProxy.body());
        assertThat(atProxy.header("Authorization")).hasValue("Bearer ****cdef");
        assertThat(proxy.stats().served()).isEqualTo(1);
    }

    @Test
    void should_relay_a_stream_event_by_event_when_the_client_streams() throws InterruptedException {
        // given
        var model = Clients.streamingModel(proxy.baseUrl());

        // when
        StreamRecorder r = StreamRecorder.start(model, REQUEST);

        // then
        assertThat(StreamRecorder.await(r.completed)).isTrue();
        assertThat(r.error.get()).isNull();
        assertThat(r.partials).hasSizeGreaterThan(3);
        assertThat(r.text()).isEqualTo("[upstream] answer to: Tell me a story about a fox");
        assertThat(r.complete.get().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.complete.get().tokenUsage().outputTokenCount()).isPositive();
    }

    @Test
    void should_answer_the_fault_without_calling_the_upstream_when_a_status_fault_is_injected() {
        // given
        proxy.inject(Fault.httpStatus(503));

        // when
        Throwable t = catchThrowable(() -> Clients.chatModel(proxy.baseUrl()).chat(REQUEST));

        // then
        assertThat(t).isInstanceOf(InternalServerException.class);
        assertThat(upstream.requestCount()).isZero();
        assertThat(proxy.stats().faultCount(FaultKind.HTTP_STATUS)).isEqualTo(1);
    }

    @Test
    void should_cut_the_relayed_stream_when_a_stream_cut_is_injected() throws InterruptedException {
        // given
        proxy.inject(Fault.streamCutAfter(3));

        // when
        StreamRecorder r = StreamRecorder.start(Clients.streamingModel(proxy.baseUrl()), REQUEST);

        // then
        assertThat(StreamRecorder.await(r.errored)).isTrue();
        assertThat(r.text()).isEqualTo("[upstream] answer");
        assertThat(upstream.stats().served()).isEqualTo(1);
    }

    @Test
    void should_relay_the_upstream_status_and_retry_after_when_the_upstream_rate_limits() throws Exception {
        // given
        upstream.inject(Fault.rateLimited(Duration.ofSeconds(5)));

        // when
        HttpResponse<String> response = Clients.post(proxy.baseUrl() + "/chat/completions",
                Clients.chatJson("hi", false));

        // then
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.body()).contains("rate_limit_exceeded");
    }

    @Test
    void should_forward_get_requests_when_models_are_listed() throws Exception {
        // when
        HttpResponse<String> response = Clients.get(proxy.baseUrl() + "/models");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":\"gpt-4o-mini\"");
        assertThat(upstream.takeRequest(Clients.TIMEOUT).method()).isEqualTo("GET");
    }

    @Test
    void should_answer_502_when_the_upstream_is_unreachable() throws Exception {
        // given
        String deadUrl = upstream.baseUrl();
        upstream.close();
        try (ChaosProxy orphan = ChaosProxy.builder().upstream(deadUrl).build().start()) {

            // when
            HttpResponse<String> response = Clients.post(orphan.baseUrl() + "/chat/completions",
                    Clients.chatJson("hi", false));

            // then
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("\"code\":\"upstream_unreachable\"").doesNotContain(Clients.API_KEY);
        }
    }

    @Test
    void should_release_a_request_waiting_on_a_hanging_upstream_promptly_when_the_proxy_closes() throws Exception {
        // given
        upstream.inject(Fault.hang());
        CompletableFuture<HttpResponse<String>> call = Clients.raw().sendAsync(
                HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(Clients.chatJson("hi", false))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upstream.takeRequest(Clients.TIMEOUT)).isNotNull();

        // when
        assertTimeoutPreemptively(Duration.ofSeconds(2), proxy::close);

        // then
        assertThatThrownBy(() -> call.get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void should_release_a_relayed_stream_stalled_upstream_promptly_when_the_proxy_closes() throws Exception {
        // given
        upstream.inject(Fault.streamStallAfter(2));
        StreamRecorder r = StreamRecorder.start(Clients.streamingModel(proxy.baseUrl()), REQUEST);
        assertThat(StreamRecorder.await(r.firstPartial)).isTrue();

        // when
        assertTimeoutPreemptively(Duration.ofSeconds(2), proxy::close);

        // then
        assertThat(StreamRecorder.await(r.terminal)).isTrue();
    }

    @Test
    void should_reject_a_non_http_upstream_when_built() {
        assertThatThrownBy(() -> ChaosProxy.builder().upstream("ftp://example.com/v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://example.com/v1");
        assertThatThrownBy(() -> ChaosProxy.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("upstream");
    }
}
