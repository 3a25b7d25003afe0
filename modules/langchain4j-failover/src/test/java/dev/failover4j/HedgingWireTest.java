package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.failover4j.support.RecordingHandler;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hedged requests at the wire: real OpenAiChatModels, a slow or hung primary, a healthy backup. */
class HedgingWireTest {

    private final List<ChaosOpenAiServer> servers = new ArrayList<>();
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ChaosOpenAiServer::close);
    }

    private ChaosOpenAiServer server(String name) {
        ChaosOpenAiServer server = ChaosOpenAiServer.builder().name(name).replyText("from " + name).build().start();
        servers.add(server);
        return server;
    }

    private static FailoverTarget target(String name, String baseUrl) {
        return FailoverTarget.openAiCompatible(name).baseUrl(baseUrl).apiKey("sk-test-" + name + "-000000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000).build();
    }

    private static FailoverTarget target(ChaosOpenAiServer server) {
        return target(server.name(), server.baseUrl());
    }

    private FailoverGroup.Builder group(Hedging hedging, FailoverTarget... targets) {
        return FailoverGroup.builder().targets(targets).hedging(hedging).listener(events::add);
    }

    private static String text(ChatResponse response) {
        return response.aiMessage().text();
    }

    @Test
    void should_serve_from_the_backup_when_the_primary_hangs_closing_the_losers_exchange_and_counting_no_failure()
            throws Exception {
        try (HangingServer primary = new HangingServer()) {
            // given: a primary that reads the request and never answers; a healthy backup; hedge after 200 ms
            ChaosOpenAiServer backup = server("backup");
            try (FailoverGroup group = group(Hedging.after(Duration.ofMillis(200)).maxExtraLoad(1.0),
                    target("primary", primary.baseUrl()), target(backup)).build()) {
                // when
                ChatResponse response = group.chatModel().chat(ChatRequest.builder().messages(UserMessage.from("hi")).build());

                // then: the backup's answer, marked as a hedge, and the primary's connection closed by us
                assertThat(text(response)).isEqualTo("from backup");
                FailoverChatResponseMetadata metadata = (FailoverChatResponseMetadata) response.metadata();
                assertThat(metadata.hedged()).isTrue();
                assertThat(metadata.targetName()).isEqualTo("backup");
                assertThat(primary.awaitClientClose(Duration.ofSeconds(10))).isTrue();
                assertThat(events).anySatisfy(e -> assertThat(e).isEqualTo(
                        new FailoverEvent.HedgeStarted(1, "backup", "primary", Duration.ofMillis(200))));
                assertThat(events).contains(new FailoverEvent.HedgeWon(1, "backup", "primary"));
                // the loser is not counted as a failure of its target
                var primaryHealth = group.health().get(0);
                assertThat(primaryHealth.consecutiveFailures()).isZero();
                assertThat(primaryHealth.stats().failures()).isZero();
                assertThat(primaryHealth.circuitState()).isEqualTo(CircuitState.CLOSED);
            }
        }
    }

    @Test
    void should_keep_the_slow_primary_running_when_the_hedge_fails_and_serve_its_answer() {
        // given: a primary answering in 600 ms and a backup failing at once; hedge after 100 ms
        ChaosOpenAiServer primary = server("primary");
        ChaosOpenAiServer backup = server("backup");
        primary.inject(Fault.latency(Duration.ofMillis(600)));
        backup.inject(Fault.httpStatus(500));
        try (FailoverGroup group = group(Hedging.after(Duration.ofMillis(100)).maxExtraLoad(1.0), target(primary), target(backup))
                .maxRetries(0).build()) {
            // when
            ChatResponse response = group.chatModel().chat(ChatRequest.builder().messages(UserMessage.from("hi")).build());

            // then: the primary served; the hedge ran and failed (a real failure of the backup)
            assertThat(text(response)).isEqualTo("from primary");
            assertThat(((FailoverChatResponseMetadata) response.metadata()).hedged()).isFalse();
            assertThat(backup.requestCount()).isEqualTo(1);
            assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(FailoverEvent.HedgeStarted.class));
            assertThat(events).noneSatisfy(e -> assertThat(e).isInstanceOf(FailoverEvent.HedgeWon.class));
            assertThat(group.health().get(1).stats().failures()).isEqualTo(1);
        }
    }

    @Test
    void should_fail_over_as_usual_when_both_the_primary_and_its_hedge_fail() {
        // given: a slow failing primary, a failing backup, a healthy third target
        ChaosOpenAiServer primary = server("primary");
        ChaosOpenAiServer backup = server("backup");
        ChaosOpenAiServer third = server("third");
        primary.inject(Fault.latency(Duration.ofMillis(300)));
        primary.inject(Fault.httpStatus(503));
        backup.inject(Fault.httpStatus(500));
        try (FailoverGroup group = group(Hedging.after(Duration.ofMillis(50)).maxExtraLoad(1.0), target(primary), target(backup),
                target(third)).maxRetries(0).build()) {
            // when
            ChatResponse response = group.chatModel().chat(ChatRequest.builder().messages(UserMessage.from("hi")).build());

            // then: the third served, and the backup (tried as the hedge) was not tried a second time
            assertThat(text(response)).isEqualTo("from third");
            assertThat(primary.requestCount()).isEqualTo(1);
            assertThat(backup.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void should_do_nothing_with_a_single_target() {
        ChaosOpenAiServer only = server("only");
        only.inject(Fault.latency(Duration.ofMillis(300)));
        try (FailoverGroup group = group(Hedging.after(Duration.ofMillis(20)).maxExtraLoad(1.0), target(only)).build()) {
            ChatResponse response = group.chatModel().chat(ChatRequest.builder().messages(UserMessage.from("hi")).build());
            assertThat(text(response)).isEqualTo("from only");
            assertThat(only.requestCount()).isEqualTo(1);
            assertThat(events).noneSatisfy(e -> assertThat(e).isInstanceOf(FailoverEvent.HedgeStarted.class));
        }
    }

    @Test
    void should_never_exceed_the_deadline_when_both_attempts_hang() throws Exception {
        try (HangingServer a = new HangingServer(); HangingServer b = new HangingServer()) {
            try (FailoverGroup group = group(Hedging.after(Duration.ofMillis(200)).maxExtraLoad(1.0),
                    target("a", a.baseUrl()), target("b", b.baseUrl())).deadline(Duration.ofSeconds(1)).build()) {
                long start = System.nanoTime();
                Throwable error = catchThrowable(() -> group.chatModel().chat(UserMessage.from("hi")));
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(error).isInstanceOf(FailoverException.class);
                assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(FailoverEvent.HedgeStarted.class));
                // generous: the deadline is 1 s; without it the attempt timeout (60 s) would hold the call
                assertThat(took).isLessThan(Duration.ofSeconds(5));
                assertThat(a.awaitClientClose(Duration.ofSeconds(10))).isTrue();
                assertThat(b.awaitClientClose(Duration.ofSeconds(10))).isTrue();
            }
        }
    }

    @Test
    void should_cap_hedges_at_the_max_extra_load_and_still_serve_every_call() {
        // given: a primary slower than the hedge delay on every call, a fast backup, a cap of 10 %
        ChaosOpenAiServer primary = server("primary");
        ChaosOpenAiServer backup = server("backup");
        primary.inject(Fault.latency(Duration.ofMillis(120)));
        try (FailoverGroup group = group(Hedging.after(Duration.ofMillis(20)), target(primary), target(backup)).build()) {
            // when
            for (int i = 0; i < 40; i++) {
                assertThat(text(group.chatModel().chat(ChatRequest.builder().messages(UserMessage.from("q" + i)).build())))
                        .startsWith("from ");
            }
            // then: at most 4 hedges in 40 calls, and they did happen
            long hedges = events.stream().filter(e -> e instanceof FailoverEvent.HedgeStarted).count();
            assertThat(hedges).isBetween(1L, 4L);
            assertThat(backup.requestCount()).isEqualTo((int) hedges);
        }
    }

    @Test
    void should_stream_only_the_hedge_winners_tokens_and_close_the_losers_stream() throws Exception {
        try (HangingServer primary = new HangingServer()) {
            // given: a primary that never sends a first token, a healthy backup
            ChaosOpenAiServer backup = server("backup");
            try (FailoverGroup group = group(Hedging.after(Duration.ofMillis(200)).maxExtraLoad(1.0),
                    target("primary", primary.baseUrl()), target(backup)).build()) {
                // when
                RecordingHandler handler = new RecordingHandler();
                group.streamingChatModel().chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), handler);
                handler.await(Duration.ofSeconds(20));

                // then
                assertThat(handler.error()).isNull();
                assertThat(handler.text()).isEqualTo("from backup");
                assertThat(((FailoverChatResponseMetadata) handler.response().metadata()).hedged()).isTrue();
                assertThat(primary.awaitClientClose(Duration.ofSeconds(10))).isTrue();
                assertThat(events).contains(new FailoverEvent.HedgeWon(1, "backup", "primary"));
                assertThat(group.health().get(0).stats().failures()).isZero();
            }
        }
    }

    @Test
    void should_keep_the_first_streams_tokens_when_it_starts_before_the_hedge_answers() throws Exception {
        // given: a primary whose first token comes after 300 ms; a backup slower still (1.5 s)
        ChaosOpenAiServer primary = server("primary");
        ChaosOpenAiServer backup = server("backup");
        primary.inject(Fault.latency(Duration.ofMillis(300)));
        backup.inject(Fault.latency(Duration.ofMillis(1_500)));
        try (FailoverGroup group = group(Hedging.after(Duration.ofMillis(100)).maxExtraLoad(1.0), target(primary), target(backup))
                .build()) {
            // when
            RecordingHandler handler = new RecordingHandler();
            group.streamingChatModel().chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), handler);
            handler.await(Duration.ofSeconds(20));

            // then: nothing of the loser reached the handler
            assertThat(handler.text()).isEqualTo("from primary");
            assertThat(((FailoverChatResponseMetadata) handler.response().metadata()).hedged()).isFalse();
            assertThat(group.health().get(1).stats().failures()).isZero();
        }
    }

    @Test
    void should_reject_bad_hedging_settings_naming_the_value() {
        assertThatThrownBy(() -> Hedging.after(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedging delay must be a positive duration but was PT0S");
        assertThatThrownBy(() -> Hedging.after(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-0.005S");
        assertThatThrownBy(() -> Hedging.atPercentile(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedging percentile must be in (0, 1) but was 1.0");
        assertThatThrownBy(() -> Hedging.atPercentile(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedging percentile must be in (0, 1) but was 0.0");
        assertThatThrownBy(() -> Hedging.after(Duration.ofMillis(10)).maxExtraLoad(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedging maxExtraLoad must be in (0, 1] but was 0.0");
        assertThatThrownBy(() -> Hedging.after(Duration.ofMillis(10)).maxExtraLoad(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedging maxExtraLoad must be in (0, 1] but was 1.5");
        assertThatThrownBy(() -> Hedging.atPercentile(0.9).floor(Duration.ofSeconds(2)).ceiling(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedging floor (PT2S) must not exceed its ceiling (PT1S)");
        assertThatThrownBy(() -> Hedging.after(Duration.ofMillis(10)).floor(Duration.ofMillis(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a hedging floor applies to atPercentile(...), not to after(PT0.01S)");
        assertThat(Hedging.atPercentile(0.95).maxExtraLoad(0.05)).hasToString(
                "Hedging{at p95 in [PT0.05S, PT5S], maxExtraLoad 0.05}");
    }

    /** A server that reads each request and never answers; knows when the client closed the connection. */
    static final class HangingServer implements AutoCloseable {
        private final ServerSocket socket;
        private final CountDownLatch clientClosed = new CountDownLatch(1);
        private final Thread acceptor;

        HangingServer() throws IOException {
            socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::serve, "hanging-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
        }

        private void serve() {
            try (Socket exchange = socket.accept()) {
                exchange.setSoTimeout(60_000);
                InputStream in = exchange.getInputStream();
                byte[] buffer = new byte[4096];
                while (in.read(buffer) >= 0) {
                    // reads the request, answers nothing, until the client closes
                }
                clientClosed.countDown();
            } catch (IOException e) {
                // closed by close(), or a reset by the client: a reset is a close too
                clientClosed.countDown();
            }
        }

        boolean awaitClientClose(Duration timeout) throws InterruptedException {
            return clientClosed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
