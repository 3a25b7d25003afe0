package dev.failover4j.testkit;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.failover4j.testkit.Clients.StreamRecorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ShutdownTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    @Test
    void should_release_a_hanging_request_promptly_when_the_server_closes() throws Exception {
        // given
        ChaosOpenAiServer server = ChaosOpenAiServer.builder().build().start();
        server.inject(Fault.hang());
        CompletableFuture<HttpResponse<String>> call = Clients.raw().sendAsync(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(Clients.chatJson("hi", false))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(server.takeRequest(Clients.TIMEOUT)).isNotNull();

        // when
        assertTimeoutPreemptively(PROMPTLY, server::close);

        // then
        assertThatThrownBy(() -> call.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(java.io.IOException.class);
    }

    @Test
    void should_release_a_stalled_stream_and_a_long_latency_when_the_server_closes() throws Exception {
        // given
        ChaosOpenAiServer server = ChaosOpenAiServer.builder().build().start();
        server.injectNext(1, Fault.streamStallAfter(2));
        StreamRecorder stalled = StreamRecorder.start(Clients.streamingModel(server.baseUrl()),
                ChatRequest.builder().messages(UserMessage.from("hi")).build());
        assertThat(StreamRecorder.await(stalled.firstPartial)).isTrue();
        server.inject(Fault.latency(Duration.ofMinutes(10)));
        CompletableFuture<HttpResponse<String>> slow = Clients.raw().sendAsync(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(server.takeRequest(Clients.TIMEOUT)).isNotNull();
        assertThat(server.takeRequest(Clients.TIMEOUT)).isNotNull();

        // when
        assertTimeoutPreemptively(PROMPTLY, server::close);

        // then
        assertThat(StreamRecorder.await(stalled.terminal)).isTrue();
        assertThatThrownBy(() -> slow.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void should_leave_no_server_threads_alive_when_closed_during_hanging_and_stalled_requests() throws Exception {
        // given
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ChaosOpenAiServer server = ChaosOpenAiServer.builder().build().start();
        server.injectNext(1, Fault.hang());
        Clients.raw().sendAsync(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(Clients.chatJson("hi", false))).build(),
                HttpResponse.BodyHandlers.ofString());
        server.inject(Fault.streamStallAfter(1));
        Clients.raw().sendAsync(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(Clients.chatJson("hi", true))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(server.takeRequest(Clients.TIMEOUT)).isNotNull();
        assertThat(server.takeRequest(Clients.TIMEOUT)).isNotNull();
        List<Thread> serverThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().startsWith("MockWebServer"))
                .collect(Collectors.toList());
        assertThat(serverThreads).hasSizeGreaterThanOrEqualTo(3); // acceptor + two connections

        // when
        server.close();

        // then
        for (Thread t : serverThreads) {
            t.join(PROMPTLY.toMillis());
        }
        assertThat(serverThreads).noneMatch(Thread::isAlive);
    }

    @Test
    void should_refuse_to_restart_when_closed() {
        // given
        ChaosOpenAiServer server = ChaosOpenAiServer.builder().build().start();

        // when
        server.close();

        // then
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
