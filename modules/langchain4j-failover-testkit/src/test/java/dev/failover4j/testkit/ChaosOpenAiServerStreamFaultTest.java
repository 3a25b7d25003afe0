package dev.failover4j.testkit;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.failover4j.testkit.Clients.StreamRecorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ChaosOpenAiServerStreamFaultTest {

    private static final String REPLY = "The quick brown fox jumps over the lazy dog.";
    private static final ChatRequest REQUEST = ChatRequest.builder().messages(UserMessage.from("fox?")).build();

    private ChaosOpenAiServer server;
    private OpenAiStreamingChatModel model;

    @BeforeEach
    void startServer() {
        server = ChaosOpenAiServer.builder().name("primary").replyText(REPLY).build().start();
        model = Clients.streamingModel(server.baseUrl());
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void should_deliver_partial_text_then_error_then_complete_without_finish_reason_when_the_stream_is_cut()
            throws InterruptedException {
        // given: events are [role, "The", " quick", ...]; the cut comes after three
        server.inject(Fault.streamCutAfter(3));

        // when
        StreamRecorder r = StreamRecorder.start(model, REQUEST);

        // then
        assertThat(StreamRecorder.await(r.errored)).isTrue();
        assertThat(r.text()).isEqualTo("The quick");
        assertThat(r.error.get()).isInstanceOf(dev.langchain4j.exception.LangChain4jException.class);
        assertThat(StreamRecorder.await(r.completed)).isTrue();
        assertThat(r.complete.get().finishReason()).isNull();
        assertThat(r.complete.get().aiMessage().text()).isEqualTo("The quick");
        assertThat(server.stats().faultCount(FaultKind.STREAM_CUT)).isEqualTo(1);
    }

    @Test
    void should_end_the_raw_body_with_an_io_error_and_no_done_event_when_the_stream_is_cut() throws Exception {
        // given
        server.inject(Fault.streamCutAfter(2));

        // when
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Throwable t = catchThrowable(() -> readSse(lines));

        // then
        assertThat(t).isInstanceOf(IOException.class);
        assertThat(lines.stream().filter(l -> l.startsWith("data:"))).hasSize(2);
        assertThat(lines).doesNotContain("data: [DONE]");
    }

    @Test
    void should_cut_before_done_when_the_reply_has_fewer_chunks_than_the_fault_waits_for() throws Exception {
        // given
        server.inject(Fault.streamCutAfter(1_000));

        // when
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Throwable t = catchThrowable(() -> readSse(lines));

        // then
        assertThat(t).isInstanceOf(IOException.class);
        assertThat(String.join("", lines)).contains("\"finish_reason\":\"stop\"");
        assertThat(lines).doesNotContain("data: [DONE]");
    }

    @Test
    void should_deliver_partial_text_then_nothing_until_closed_when_the_stream_stalls() throws InterruptedException {
        // given
        server.inject(Fault.streamStallAfter(3));

        // when
        StreamRecorder r = StreamRecorder.start(model, REQUEST);
        assertThat(StreamRecorder.await(r.firstPartial)).isTrue();
        boolean endedWhileStalled = r.terminal.await(300, TimeUnit.MILLISECONDS);
        server.close();

        // then
        assertThat(endedWhileStalled).isFalse();
        assertThat(r.text()).isEqualTo("The quick");
        assertThat(StreamRecorder.await(r.terminal)).isTrue();
        assertThat(server.stats().faultCount(FaultKind.STREAM_STALL)).isEqualTo(1);
    }

    @Test
    void should_report_the_error_event_then_complete_without_finish_reason_when_the_stream_carries_an_error_event()
            throws InterruptedException {
        // given
        server.inject(Fault.streamErrorEventAfter(3));

        // when
        StreamRecorder r = StreamRecorder.start(model, REQUEST);

        // then
        assertThat(StreamRecorder.await(r.errored)).isTrue();
        assertThat(r.text()).isEqualTo("The quick");
        assertThat(r.error.get()).hasMessageContaining("\"type\":\"server_error\"");
        assertThat(StreamRecorder.await(r.completed)).isTrue();
        assertThat(r.complete.get().finishReason()).isNull();
        assertThat(server.stats().faultCount(FaultKind.STREAM_ERROR_EVENT)).isEqualTo(1);
    }

    @Test
    void should_send_an_error_event_and_end_the_body_cleanly_when_an_error_event_is_injected() throws Exception {
        // given
        server.inject(Fault.streamErrorEventAfter(1));

        // when
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        readSse(lines);

        // then
        assertThat(lines).contains("event: error");
        assertThat(lines.stream().filter(l -> l.startsWith("data: {\"error\"")).count()).isEqualTo(1);
        assertThat(lines).doesNotContain("data: [DONE]");
    }

    @Test
    void should_not_apply_stream_faults_when_the_request_is_not_streamed() {
        // given
        server.inject(Fault.streamCutAfter(1));

        // when
        var response = Clients.chatModel(server.baseUrl()).chat(REQUEST);

        // then
        assertThat(response.aiMessage().text()).isEqualTo(REPLY);
        assertThat(server.stats().totalFaults()).isZero();
    }

    @Test
    void should_answer_a_stream_with_an_http_error_when_a_status_fault_is_injected() throws InterruptedException {
        // given
        server.inject(Fault.httpStatus(503));

        // when
        StreamRecorder r = StreamRecorder.start(model, REQUEST);

        // then
        assertThat(StreamRecorder.await(r.errored)).isTrue();
        assertThat(r.error.get()).isInstanceOf(dev.langchain4j.exception.InternalServerException.class);
        assertThat(r.partials).isEmpty();
    }

    /**
     * Reads the raw SSE body line by line as lines arrive, failing the test if it does not end within the
     * timeout. A line subscriber, not {@code ofInputStream}: the JDK's InputStream drops buffered data
     * once the connection fails, which would hide the events sent just before a cut.
     */
    private void readSse(List<String> lines) throws Exception {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        Clients.raw().sendAsync(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                        .timeout(Clients.TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.ofString(Clients.chatJson("fox?", true)))
                        .build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(new java.util.concurrent.Flow.Subscriber<String>() {
                    @Override
                    public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(String item) {
                        lines.add(item);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        done.completeExceptionally(throwable);
                    }

                    @Override
                    public void onComplete() {
                        done.complete(null);
                    }
                })).whenComplete((r, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    }
                });
        try {
            done.get(Clients.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw cause instanceof Exception ex ? ex : e;
        }
    }
}
