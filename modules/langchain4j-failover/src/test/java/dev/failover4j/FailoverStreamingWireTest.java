package dev.failover4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover4j.support.RecordingHandler;
import dev.failover4j.testkit.ChaosOpenAiServer;
import dev.failover4j.testkit.Fault;
import dev.failover4j.testkit.RecordedChatRequest;
import dev.failover4j.testkit.Reply;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.output.FinishReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Streaming failover at the wire: real OpenAiStreamingChatModels against chaos servers speaking SSE. */
class FailoverStreamingWireTest {

    private static final String SENTENCE = "The quick brown fox jumps over the lazy dog.";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<ChaosOpenAiServer> servers = new CopyOnWriteArrayList<>();
    private final List<FailoverEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ChaosOpenAiServer::close);
    }

    private ChaosOpenAiServer server(String name, Function<RecordedChatRequest, Reply> reply) {
        ChaosOpenAiServer server = ChaosOpenAiServer.builder().name(name).modelName("gpt-4o-mini").reply(reply).build().start();
        servers.add(server);
        return server;
    }

    private ChaosOpenAiServer server(String name, String text) {
        return server(name, request -> Reply.text(text));
    }

    /** Continues from the partial answer in a continuation request, repeating its last word (as models do). */
    private static Reply continuing(RecordedChatRequest request) {
        if (request.partialAnswer().isEmpty()) {
            return Reply.text(SENTENCE);
        }
        String partial = request.partialAnswer().get();
        String[] words = partial.trim().split(" ");
        String lastWord = words[words.length - 1];
        return Reply.text(lastWord + SENTENCE.substring(partial.length()));
    }

    private static FailoverTarget target(ChaosOpenAiServer server) {
        return FailoverTarget.openAiCompatible(server.name()).baseUrl(server.baseUrl()).apiKey("sk-test-" + server.name() + "-00000")
                .modelName("gpt-4o-mini").contextWindowTokens(16_000).build();
    }

    private FailoverStreamingChatLanguageModel.Builder model(ChaosOpenAiServer... targets) {
        return FailoverStreamingChatLanguageModel.builder()
                .targets(java.util.Arrays.stream(targets).map(FailoverStreamingWireTest::target).toList())
                .config(FailoverConfig.builder().backoff(Duration.ofMillis(5), Duration.ofMillis(20)).jitter(0).build())
                .firstTokenTimeout(Duration.ofSeconds(2))
                .idleTimeout(Duration.ofMillis(700))
                .listener(events::add);
    }

    private static RecordingHandler stream(FailoverStreamingChatLanguageModel model) throws InterruptedException {
        RecordingHandler handler = new RecordingHandler();
        model.chat(ChatRequest.builder().messages(UserMessage.from("Tell me about foxes")).build(), handler);
        return handler.await(WAIT);
    }

    private static String servedBy(RecordingHandler handler) {
        return ((FailoverChatResponseMetadata) handler.response().metadata()).targetName();
    }

    @Test
    void should_stream_from_the_primary_when_it_is_healthy() throws Exception {
        // given
        ChaosOpenAiServer primary = server("primary", SENTENCE);
        ChaosOpenAiServer secondary = server("secondary", "unused");
        // when
        RecordingHandler handler = stream(model(primary, secondary).build());
        // then
        assertThat(handler.error()).isNull();
        assertThat(handler.text()).isEqualTo(SENTENCE);
        assertThat(handler.partials.size()).isGreaterThan(3);
        assertThat(handler.response().aiMessage().text()).isEqualTo(SENTENCE);
        assertThat(handler.response().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(servedBy(handler)).isEqualTo("primary");
        assertThat(handler.terminals).hasValue(1);
        assertThat(secondary.requestCount()).isZero();
    }

    @Test
    void should_fail_over_before_the_first_token_when_the_primary_answers_5xx_and_the_handler_sees_nothing_of_it() throws Exception {
        // given
        ChaosOpenAiServer primary = server("primary", "never");
        primary.inject(Fault.httpStatus(503));
        ChaosOpenAiServer secondary = server("secondary", SENTENCE);
        // when
        RecordingHandler handler = stream(model(primary, secondary).build());
        // then
        assertThat(handler.text()).isEqualTo(SENTENCE);
        assertThat(servedBy(handler)).isEqualTo("secondary");
        assertThat(primary.requestCount()).isEqualTo(3);
    }

    @Test
    void should_fail_over_at_once_when_the_primary_answers_429_before_the_stream() throws Exception {
        // given
        ChaosOpenAiServer primary = server("primary", "never");
        primary.inject(Fault.rateLimited(Duration.ofSeconds(30)));
        ChaosOpenAiServer secondary = server("secondary", SENTENCE);
        // when
        RecordingHandler handler = stream(model(primary, secondary).build());
        // then
        assertThat(servedBy(handler)).isEqualTo("secondary");
        assertThat(primary.requestCount()).isEqualTo(1);
    }

    @Test
    void should_fail_over_when_the_primary_hangs_before_headers() throws Exception {
        // given
        ChaosOpenAiServer primary = server("primary", "never");
        primary.inject(Fault.hang());
        ChaosOpenAiServer secondary = server("secondary", SENTENCE);
        // when
        RecordingHandler handler = stream(model(primary, secondary).firstTokenTimeout(Duration.ofMillis(400)).build());
        // then
        assertThat(handler.text()).isEqualTo(SENTENCE);
        assertThat(servedBy(handler)).isEqualTo("secondary");
    }

    @Test
    void should_continue_on_the_next_target_without_gap_or_duplicate_when_the_stream_is_cut() throws Exception {
        // given: role chunk + "The" + " quick" + " brown", then the connection is cut
        ChaosOpenAiServer primary = server("primary", SENTENCE);
        primary.inject(Fault.streamCutAfter(4));
        ChaosOpenAiServer secondary = server("secondary", FailoverStreamingWireTest::continuing);
        // when
        RecordingHandler handler = stream(model(primary, secondary).build());
        // then
        assertThat(handler.error()).isNull();
        assertThat(handler.text()).isEqualTo(SENTENCE);
        assertThat(handler.response().aiMessage().text()).isEqualTo(SENTENCE);
        FailoverChatResponseMetadata metadata = (FailoverChatResponseMetadata) handler.response().metadata();
        assertThat(metadata.servedBy()).containsExactly("primary", "secondary");
        RecordedChatRequest continuation = secondary.takeRequest(Duration.ofSeconds(1));
        assertThat(continuation.isContinuation()).isTrue();
        assertThat(continuation.partialAnswer()).hasValue("The quick brown");
        assertThat(handler.terminals).hasValue(1);
    }

    @Test
    void should_continue_when_the_stream_stalls_mid_way() throws Exception {
        // given
        ChaosOpenAiServer primary = server("primary", SENTENCE);
        primary.inject(Fault.streamStallAfter(3));
        ChaosOpenAiServer secondary = server("secondary", FailoverStreamingWireTest::continuing);
        // when
        RecordingHandler handler = stream(model(primary, secondary).idleTimeout(Duration.ofMillis(300)).build());
        // then
        assertThat(handler.text()).isEqualTo(SENTENCE);
        assertThat(events).filteredOn(e -> e instanceof FailoverEvent.AttemptFailed f && f.failure() == FailureKind.TIMEOUT)
                .singleElement().satisfies(e -> assertThat(((FailoverEvent.AttemptFailed) e).detail()).contains("no chunk"));
    }

    @Test
    void should_continue_when_an_error_event_arrives_inside_a_200_stream() throws Exception {
        // given
        ChaosOpenAiServer primary = server("primary", SENTENCE);
        primary.inject(Fault.streamErrorEventAfter(4));
        ChaosOpenAiServer secondary = server("secondary", FailoverStreamingWireTest::continuing);
        // when
        RecordingHandler handler = stream(model(primary, secondary).build());
        // then
        assertThat(handler.error()).isNull();
        assertThat(handler.text()).isEqualTo(SENTENCE);
    }

    @Test
    void should_report_an_incomplete_answer_instead_of_completing_it_when_policy_is_fail() throws Exception {
        // given
        ChaosOpenAiServer primary = server("primary", SENTENCE);
        primary.inject(Fault.streamCutAfter(4));
        ChaosOpenAiServer secondary = server("secondary", SENTENCE);
        // when
        RecordingHandler handler = stream(model(primary, secondary).partialResponsePolicy(PartialResponsePolicy.FAIL).build());
        // then
        assertThat(handler.response()).isNull();
        assertThat(handler.error()).isInstanceOfSatisfying(IncompleteResponseException.class, e -> {
            assertThat(e.partialText()).isEqualTo("The quick brown");
            assertThat(e.getMessage()).contains("incomplete");
        });
        assertThat(secondary.requestCount()).isZero();
        assertThat(handler.terminals).hasValue(1);
    }

    @Test
    void should_restart_a_tool_call_on_the_next_target_when_the_stream_breaks_inside_it() throws Exception {
        // given
        ChaosOpenAiServer primary = server("primary", request -> Reply.toolCall("lookup", "{\"city\":\"Amsterdam\",\"days\":3}"));
        primary.inject(Fault.streamCutAfter(3));
        ChaosOpenAiServer secondary = server("secondary", request -> Reply.toolCall("lookup", "{\"city\":\"Amsterdam\",\"days\":3}"));
        ToolSpecification lookup = ToolSpecification.builder().name("lookup").description("weather")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").addIntegerProperty("days").build()).build();
        RecordingHandler handler = new RecordingHandler();
        // when
        model(primary, secondary).build().chat(ChatRequest.builder().messages(UserMessage.from("weather?"))
                .toolSpecifications(lookup).build(), handler);
        handler.await(WAIT);
        // then
        assertThat(handler.error()).isNull();
        assertThat(handler.partials).isEmpty();
        assertThat(handler.response().aiMessage().toolExecutionRequests()).singleElement()
                .satisfies(call -> assertThat(call.arguments()).isEqualTo("{\"city\":\"Amsterdam\",\"days\":3}"));
        assertThat(servedBy(handler)).isEqualTo("secondary");
    }

    @Test
    void should_give_one_error_with_the_partial_text_when_every_target_fails_mid_stream() throws Exception {
        // given
        ChaosOpenAiServer primary = server("primary", SENTENCE);
        primary.inject(Fault.streamCutAfter(4));
        ChaosOpenAiServer secondary = server("secondary", FailoverStreamingWireTest::continuing);
        secondary.inject(Fault.httpStatus(500));
        // when
        RecordingHandler handler = stream(model(primary, secondary).build());
        // then
        assertThat(handler.response()).isNull();
        assertThat(handler.error()).isInstanceOfSatisfying(IncompleteResponseException.class,
                e -> assertThat(e.partialText()).isEqualTo("The quick brown"));
        assertThat(handler.terminals).hasValue(1);
        assertThat(handler.callbacksAfterTerminal()).isEmpty();
    }

    @Test
    void should_stop_the_upstream_and_call_nothing_more_when_the_caller_cancels() throws Exception {
        // given: a slow stream
        ChaosOpenAiServer primary = ChaosOpenAiServer.builder().name("primary").replyText(SENTENCE)
                .streamChunkInterval(Duration.ofMillis(100)).build().start();
        servers.add(primary);
        java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
        RecordingHandler handler = new RecordingHandler() {
            @Override
            public void onPartialResponse(dev.langchain4j.model.chat.response.PartialResponse partial,
                    dev.langchain4j.model.chat.response.PartialResponseContext context) {
                super.onPartialResponse(partial.text());
                context.streamingHandle().cancel();
                first.countDown();
            }
        };
        // when
        model(primary).build().chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), handler);
        // then
        assertThat(first.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1_000); // the rest of the stream would have arrived by now
        assertThat(handler.partials).hasSize(1);
        assertThat(handler.terminals).hasValue(0);
    }

    @Test
    void should_skip_a_target_the_sync_model_found_dead_when_sharing_its_health() throws Exception {
        // given
        ChaosOpenAiServer primary = server("primary", SENTENCE);
        ChaosOpenAiServer secondary = server("secondary", SENTENCE);
        primary.inject(Fault.authenticationFailed());
        FailoverChatLanguageModel sync = FailoverChatLanguageModel.builder().targets(target(primary), target(secondary)).build();
        sync.chat(UserMessage.from("hi"));
        FailoverStreamingChatLanguageModel streaming = FailoverStreamingChatLanguageModel.builder().sharingHealthWith(sync).build();
        // when
        RecordingHandler handler = stream(streaming);
        // then
        assertThat(servedBy(handler)).isEqualTo("secondary");
        assertThat(primary.requestCount()).isEqualTo(1);
        assertThat(streaming.health()).map(h -> h.withStats(null)).isEqualTo(sync.health().stream().map(h -> h.withStats(null)).toList());
    }

    @Test
    void should_cancel_and_report_an_error_when_the_deadline_passes_during_a_stream() throws Exception {
        // given: the stream stalls, the idle timeout is long, the deadline is short
        ChaosOpenAiServer primary = server("primary", SENTENCE);
        primary.inject(Fault.streamStallAfter(3));
        ChaosOpenAiServer secondary = server("secondary", SENTENCE);
        long start = System.nanoTime();
        // when
        RecordingHandler handler = stream(model(primary, secondary).idleTimeout(Duration.ofSeconds(30))
                .deadline(Duration.ofMillis(1500)).build());
        // then
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(handler.error()).isInstanceOf(FailoverException.class).hasMessageContaining("deadline");
        assertThat(handler.response()).isNull();
    }
}
