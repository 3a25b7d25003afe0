package dev.failover4j;

import static dev.failover4j.support.OpenAiResponses.ok;
import static dev.failover4j.support.OpenAiResponses.streamOk;
import static dev.failover4j.support.OpenAiResponses.serverError;
import static dev.failover4j.support.Servers.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover4j.support.RecordingHandler;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One group, its sync and streaming views, its operator actions and its lifecycle, at the wire. */
class FailoverGroupWireTest {

    private final MockWebServer primary = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();

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


    private FailoverGroup group() {
        return FailoverGroup.builder().targets(target("primary", primary), target("backup", backup))
                .config(FailoverConfig.builder().maxRetries(0).consecutiveFailureThreshold(2).build()).build();
    }

    @Test
    void should_skip_a_target_opened_by_sync_failures_in_the_next_stream_with_no_request_to_it() throws Exception {
        // given: two sync calls open the primary's breaker
        try (FailoverGroup group = group()) {
            primary.enqueue(serverError());
            primary.enqueue(serverError());
            backup.enqueue(ok("one"));
            backup.enqueue(ok("two"));
            backup.enqueue(streamOk("streamed"));
            group.chatModel().chat(UserMessage.from("first"));
            group.chatModel().chat(UserMessage.from("second"));
            int primaryRequests = primary.getRequestCount();
            RecordingHandler handler = new RecordingHandler();
            // when
            group.streamingChatModel().chat(ChatRequest.builder().messages(UserMessage.from("stream")).build(), handler);
            handler.await(Duration.ofSeconds(10));
            // then
            assertThat(handler.text()).isEqualTo("streamed");
            assertThat(primary.getRequestCount()).isEqualTo(primaryRequests);
            assertThat(((FailoverChatResponseMetadata) handler.response().metadata()).attempts().get(0).skipReason())
                    .isEqualTo(SkipReason.CIRCUIT_OPEN);
            assertThat(group.streamingChatModel().health().get(0).circuitState()).isEqualTo(CircuitState.OPEN);
        }
    }

    @Test
    void should_reject_calls_clearly_after_close() {
        // given
        FailoverGroup group = group();
        FailoverChatLanguageModel sync = group.chatModel();
        FailoverStreamingChatLanguageModel streaming = group.streamingChatModel();
        // when
        group.close();
        // then
        assertThat(group.isClosed()).isTrue();
        assertThatThrownBy(() -> sync.chat(UserMessage.from("hi"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed").hasMessageContaining("primary");
        assertThatThrownBy(() -> streaming.chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), new RecordingHandler()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        assertThat(primary.getRequestCount()).isZero();
        group.close(); // idempotent
    }

    @Test
    void should_leave_no_thread_it_started_when_100_groups_are_built_used_and_closed() throws Exception {
        // given: threads of models other tests left open are not this test's business
        java.util.Set<Thread> before = java.util.Set.copyOf(threadsNamedSet("failover-"));
        List<FailoverGroup> groups = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            backup.enqueue(streamOk("s" + i));
        }
        // when: each group streams once (starting an orchestration thread) and is closed
        for (int i = 0; i < 100; i++) {
            FailoverGroup group = FailoverGroup.builder().targets(target("backup", backup)).build();
            RecordingHandler handler = new RecordingHandler();
            group.streamingChatModel().chat(ChatRequest.builder().messages(UserMessage.from("q")).build(), handler);
            handler.await(Duration.ofSeconds(10));
            groups.add(group);
            group.close();
        }
        // then: the orchestration threads end with their groups; attempt timeouts share one timer thread
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (newThreads(before, "failover-stream-") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(newThreads(before, "failover-stream-")).isZero();
        assertThat(threadsNamedSet("failover-timer-")).hasSizeLessThanOrEqualTo(1);
        assertThat(newThreads(before, "failover-")).isLessThanOrEqualTo(1); // at most the shared timer
    }

    @Test
    void should_reject_group_settings_on_a_streaming_builder_that_shares_a_sync_models_group() {
        // given
        FailoverChatLanguageModel sync = FailoverChatLanguageModel.builder().targets(target("primary", primary)).build();
        // when / then
        assertThatThrownBy(() -> FailoverStreamingChatLanguageModel.builder().sharingHealthWith(sync)
                .deadline(Duration.ofSeconds(5)).targets(target("backup", backup)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[deadline, targets]");
        assertThat(FailoverStreamingChatLanguageModel.builder().sharingHealthWith(sync)
                .idleTimeout(Duration.ofSeconds(3)).build().group()).isSameAs(sync.group());
    }

    @Test
    void should_offer_the_same_operator_actions_on_the_streaming_view_as_on_the_group() {
        // given
        try (FailoverGroup group = group()) {
            primary.enqueue(ok("pong"));
            FailoverStreamingChatLanguageModel streaming = group.streamingChatModel(
                    StreamingOptions.builder().idleTimeout(Duration.ofSeconds(2)).build());
            // when
            boolean answered = streaming.probe("primary");
            streaming.resetHealth("backup");
            // then
            assertThat(answered).isTrue();
            assertThat(streaming.options().idleTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(streaming.group()).isSameAs(group);
            assertThat(group.chatModel().group()).isSameAs(group);
        }
    }

    private static long newThreads(java.util.Set<Thread> before, String prefix) {
        return threadsNamedSet(prefix).stream().filter(t -> !before.contains(t)).count();
    }

    private static java.util.Set<Thread> threadsNamedSet(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).filter(t -> t.getName().startsWith(prefix))
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void should_report_every_attempt_once_to_a_target_state_plugged_in_by_a_factory() {
        // given: a factory wrapping the in-memory state, the way a fleet module would
        List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.failover4j.spi.TargetStateFactory recording = context -> {
            dev.failover4j.spi.TargetState local = new dev.failover4j.spi.InMemoryTargetState(context);
            return (dev.failover4j.spi.TargetState) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {dev.failover4j.spi.TargetState.class}, (proxy, method, args) -> {
                        if (method.getName().startsWith("record")) {
                            reports.add(context.target() + " " + method.getName() + " " + args[0].getClass().getSimpleName());
                        }
                        try {
                            return method.invoke(local, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        };
        primary.enqueue(serverError());
        backup.enqueue(ok("served"));
        try (FailoverGroup group = FailoverGroup.builder().targets(target("primary", primary), target("backup", backup))
                .maxRetries(0).targetStates(recording).build()) {
            // when
            group.chatModel().chat(UserMessage.from("hi"));
        }
        // then
        assertThat(reports).containsExactly("primary record Failure", "backup record Success");
    }

    @Test
    void should_share_one_http_client_between_targets_with_the_same_settings_when_100_groups_build_their_own() throws Exception {
        // given
        java.util.Set<Thread> before = java.util.Set.copyOf(threadsNamedSet("HttpClient-"));
        List<FailoverGroup> groups = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            backup.enqueue(ok("b" + i));
        }
        // when: 100 tenants each build their own target and group, and call it once
        for (int i = 0; i < 100; i++) {
            FailoverGroup group = FailoverGroup.builder().targets(target("backup", backup)).build();
            group.chatModel().chat(UserMessage.from("q"));
            groups.add(group);
        }
        // then: not two selector threads per target (200), but those of the one shared client
        assertThat(newThreads(before, "HttpClient-")).isLessThanOrEqualTo(4);
        groups.forEach(FailoverGroup::close);
    }

    @Test
    void should_deliver_events_to_a_listener_added_after_the_group_was_built_until_it_is_removed() {
        // given
        primary.enqueue(ok("one"));
        primary.enqueue(ok("two"));
        List<FailoverEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        FailoverListener listener = seen::add;
        try (FailoverGroup group = FailoverGroup.builder().targets(target("primary", primary)).build()) {
            // when
            group.addListener(listener);
            group.chatModel().chat(UserMessage.from("first"));
            boolean removed = group.removeListener(listener);
            group.chatModel().chat(UserMessage.from("second"));
            // then
            assertThat(removed).isTrue();
            assertThat(seen).filteredOn(FailoverEvent.CallSucceeded.class::isInstance).hasSize(1);
        }
    }
}
